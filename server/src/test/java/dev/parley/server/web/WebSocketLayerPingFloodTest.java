package dev.parley.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.net.TransportLayer;
import dev.parley.protocol.WebSocketFrames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket client that pings and does not read what it is sent: the layer holds one pong at
 * most, the one for the latest ping, and asks for no more input until the socket takes it; a pong
 * never lands inside a frame. Over a socket played by the test, which takes only as many bytes as
 * the test allows.
 */
class WebSocketLayerPingFloodTest {
  private final ScriptedLayer socket = new ScriptedLayer();
  private final List<TransportLayer> replaced = new ArrayList<>();
  private final HttpHeadLayer head = socket.headLayer(replaced::add);
  private TransportLayer layer; // the WebSocket layer the head layer hands over to
  private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);

  @BeforeEach
  void upgrade() throws IOException {
    socket.input(
        ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    readBuffer.clear();
    assertEquals(0, head.read(readBuffer));
    assertEquals(1, replaced.size(), "the upgrade hands the connection a new layer");
    layer = replaced.get(0);
    assertTrue(socket.takeWritten().startsWith("HTTP/1.1 101 "));
  }

  private void read() throws IOException {
    readBuffer.clear();
    layer.read(readBuffer);
  }

  private static byte[] ping(int n) {
    byte[] payload = new byte[125];
    payload[0] = (byte) (n >> 8);
    payload[1] = (byte) n;
    return RawWebClient.frame(0x89, payload, true);
  }

  private static byte[] pings(int from, int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = from; i < from + count; i++) {
      out.writeBytes(ping(i));
    }
    return out.toByteArray();
  }

  /** The frames the socket took, each as its first byte and payload. */
  private List<RawWebClient.Frame> framesWritten() {
    byte[] bytes = socket.written.toByteArray();
    socket.written.reset();
    List<RawWebClient.Frame> frames = new ArrayList<>();
    for (int at = 0; at < bytes.length; ) {
      int header = WebSocketFrames.headerLengthOf(bytes[at + 1]);
      int length = (int) WebSocketFrames.payloadLength(bytes, at);
      byte[] payload = new byte[length];
      System.arraycopy(bytes, at + header, payload, 0, length);
      frames.add(new RawWebClient.Frame(bytes[at] & 0xFF, payload));
      at += header + length;
    }
    return frames;
  }

  private static int pingNumber(RawWebClient.Frame pong) {
    assertEquals(0x8A, pong.first());
    return (pong.payload()[0] & 0xFF) << 8 | (pong.payload()[1] & 0xFF);
  }

  @Test
  void pingsWhosePongsTheSocketCannotTakeLeaveOnePongForTheLatestAndStopTheInput()
      throws IOException {
    socket.room = 0; // the client stopped reading: its buffers are full
    for (int batch = 0; batch < 10; batch++) {
      socket.input(pings(batch * 400, 400));
      read();
    }
    assertFalse(layer.flushHeld(), "the pong is not held");
    assertEquals(
        SelectionKey.OP_WRITE,
        layer.interestOps(true, false),
        "input goes on while a pong waits for the socket");

    socket.room = Integer.MAX_VALUE; // it reads again
    layer.flushHeld();
    List<RawWebClient.Frame> frames = framesWritten();
    assertEquals(1, frames.size(), "one pong for 4000 pings");
    assertEquals(3999, pingNumber(frames.get(0)));
    assertTrue(layer.flushHeld());
    assertEquals(SelectionKey.OP_READ, layer.interestOps(true, false));
  }

  @Test
  void aPongHalfWrittenIsFinishedAndThenTheLatestPingIsAnswered() throws IOException {
    socket.room = 50; // the first pong goes out in part
    socket.input(pings(0, 300));
    read();
    assertEquals(SelectionKey.OP_WRITE, layer.interestOps(true, false));

    socket.room = Integer.MAX_VALUE;
    layer.flushHeld();
    List<RawWebClient.Frame> frames = framesWritten();
    assertEquals(2, frames.size());
    assertEquals(0, pingNumber(frames.get(0)));
    assertEquals(299, pingNumber(frames.get(1)));
  }

  @Test
  void aPongWaitsForTheEndOfTheFrameBeingWrittenAndTheRestOfTheQueueForIt() throws IOException {
    ByteBuffer lines = ByteBuffer.wrap(("x".repeat(1000) + "\nC SEQ 1 2\n").getBytes());
    ByteBuffer frames = layer.framed(lines);
    socket.room = 100; // the first message stops in the middle
    layer.write(frames);
    socket.input(pings(0, 5));
    read();
    assertTrue(socket.written.size() <= 100);

    socket.room = Integer.MAX_VALUE;
    while (frames.hasRemaining()) {
      layer.write(frames);
    }
    layer.flushHeld();
    List<RawWebClient.Frame> written = framesWritten();
    assertEquals(3, written.size());
    assertEquals("x".repeat(1000), written.get(0).text());
    assertEquals(4, pingNumber(written.get(1)));
    assertEquals("C SEQ 1 2", written.get(2).text());
  }

  /** The socket under the layer: takes at most {@code room} bytes, reads what the test gave it. */
}
