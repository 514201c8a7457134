package dev.parley.server.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ServerFramesTest {
  private final ServerFrames frames = new ServerFrames();

  private static ByteBuffer lines(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.get(buffer.position(), out);
    return out;
  }

  @Test
  void aLineFannedOutIsFramedOnceAndTheFramesAreShared() {
    ByteBuffer line = lines("D PM 1 t ann hi\n");
    ByteBuffer first = frames.frame(line);
    for (int recipient = 0; recipient < 1000; recipient++) {
      assertSame(first, frames.frame(line));
    }
    assertTrue(first.isReadOnly());
    assertNotSame(first, frames.frame(lines("D PM 1 t ann hi\n")), "another buffer is framed anew");
  }

  @Test
  void eachLineIsOneUnmaskedTextFrameWithoutItsLineEnd() {
    byte[] framed = bytes(frames.frame(lines("C A\nC BB\n")));
    assertArrayEquals(
        new byte[] {(byte) 0x81, 3, 'C', ' ', 'A', (byte) 0x81, 4, 'C', ' ', 'B', 'B'}, framed);
  }

  @Test
  void longLinesGetTheLongerLengths() {
    String mid = "x".repeat(300);
    byte[] framed = bytes(frames.frame(lines(mid + "\n")));
    assertEquals(126, framed[1]);
    assertEquals(300, (framed[2] & 0xFF) << 8 | (framed[3] & 0xFF));
    assertEquals(4 + 300, framed.length);
    String big = "y".repeat(70_000);
    byte[] bigFrame = bytes(frames.frame(lines(big + "\n")));
    assertEquals(127, bigFrame[1]);
    assertEquals(10 + 70_000, bigFrame.length);
  }

  @Test
  void controlFramesWaitForTheEndOfTheFrameBeingWritten() {
    OutgoingFrames outgoing = new OutgoingFrames();
    ByteBuffer two = frames.frame(lines("abc\n" + "z".repeat(200) + "\n"));
    outgoing.written(two, 0, 3);
    assertEquals(2, outgoing.payloadLeft()); // two header bytes and one of "abc" written
    outgoing.written(two, 3, 5);
    assertTrue(outgoing.atBoundary());
    outgoing.written(two, 5, 7); // half the second header
    assertEquals(0, outgoing.payloadLeft());
    assertFalse(outgoing.atBoundary());
    outgoing.written(two, 7, two.limit());
    assertTrue(outgoing.atBoundary());
  }
}
