package dev.parley.server.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketDecoderTest {
  private final List<byte[]> pongs = new ArrayList<>();
  private final WebSocketDecoder decoder =
      new WebSocketDecoder((p, n) -> pongs.add(Arrays.copyOf(p, n)));

  /**
   * Decodes {@code input} as one read, in place as {@code WebSocketLayer} does; returns the lines.
   */
  private String decode(byte[]... frames) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] f : frames) {
      all.writeBytes(f);
    }
    byte[] input = all.toByteArray();
    ByteBuffer buffer = ByteBuffer.allocate(input.length + 1);
    buffer.put(1, input);
    int end = decoder.decode(buffer, 1, 1 + input.length, 0);
    byte[] out = new byte[end];
    buffer.get(0, out);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  private static byte[] text(String s) {
    return RawWebClient.frame(0x81, s.getBytes(StandardCharsets.UTF_8), true);
  }

  @Test
  void eachTextMessageBecomesOneLine() {
    assertEquals("C SEQ\nC PM\n", decode(text("C SEQ"), text("C PM")));
    assertFalse(decoder.stopped());
  }

  @Test
  void fragmentsJoinIntoOneLineAndControlFramesMayComeBetween() {
    byte[] first = RawWebClient.frame(0x01, "C ".getBytes(StandardCharsets.UTF_8), true);
    byte[] ping = RawWebClient.frame(0x89, new byte[] {1}, true);
    byte[] last = RawWebClient.frame(0x80, "SEQ".getBytes(StandardCharsets.UTF_8), true);
    assertEquals("C SEQ\n", decode(first, ping, last));
    assertArrayEquals(new byte[] {1}, pongs.get(0));
  }

  @Test
  void anEmptyMessageIsAnEmptyLine() {
    assertEquals("\n", decode(text("")));
  }

  @Test
  void aMessageWithALineEndOrABinaryMessageBecomesALineTheLineDecoderRefuses() {
    assertEquals("C PM\u00FFD x\n", decode(text("C PM\nD x")));
    assertEquals("\u00FF\n", decode(RawWebClient.frame(0x82, new byte[] {10, 10}, true)));
  }

  @Test
  void aCharacterSplitBetweenFramesIsValid() {
    byte[] e = "é".getBytes(StandardCharsets.UTF_8);
    byte[] first = RawWebClient.frame(0x01, new byte[] {e[0]}, true);
    byte[] last = RawWebClient.frame(0x80, new byte[] {e[1]}, true);
    assertEquals("\u00C3\u00A9\n", decode(first, last));
  }

  @Test
  void protocolErrorsStopWith1002() {
    for (byte[] bad :
        List.of(
            RawWebClient.frame(0x81, new byte[] {'x'}, false), // unmasked
            RawWebClient.frame(0x91, new byte[] {'x'}, true), // a reserved bit
            RawWebClient.frame(0x83, new byte[] {'x'}, true), // an unknown opcode
            RawWebClient.frame(0x80, new byte[] {'x'}, true), // a continuation of nothing
            RawWebClient.frame(0x09, new byte[] {}, true), // a fragmented ping
            RawWebClient.frame(0x88, new byte[] {3}, true), // a close code of one byte
            RawWebClient.frame(0x88, new byte[] {3, (byte) 0xED}, true))) { // 1005, never sent
      WebSocketDecoder fresh = new WebSocketDecoder((p, n) -> {});
      ByteBuffer buffer = ByteBuffer.allocate(bad.length + 1).put(1, bad);
      fresh.decode(buffer, 1, 1 + bad.length, 0);
      assertEquals(1002, fresh.closeCode());
      assertFalse(fresh.peerClosed());
    }
  }

  @Test
  void aMessageInsideAMessageIsAProtocolError() {
    decode(RawWebClient.frame(0x01, new byte[] {'a'}, true), text("b"));
    assertEquals(1002, decoder.closeCode());
  }

  @Test
  void invalidUtf8StopsWith1007EvenWhenTheCharacterIsLeftUnfinished() {
    decode(text("ok"), RawWebClient.frame(0x81, new byte[] {(byte) 0xE2, (byte) 0x82}, true));
    assertEquals(1007, decoder.closeCode());
  }

  @Test
  void aCloseFrameStopsWithItsCodeToEcho() {
    assertEquals(
        "C SEQ\n",
        decode(
            text("C SEQ"),
            RawWebClient.frame(0x88, new byte[] {3, (byte) 0xE8}, true),
            text("after")));
    assertTrue(decoder.peerClosed());
    assertEquals(1000, decoder.closeCode());
  }

  @Test
  void aLongMessageStreamsThroughHoldingNothing() {
    String big = "D " + "y".repeat(70_000);
    assertEquals(
        big + "\n", decode(RawWebClient.frame(0x81, big.getBytes(StandardCharsets.UTF_8), true)));
  }
}
