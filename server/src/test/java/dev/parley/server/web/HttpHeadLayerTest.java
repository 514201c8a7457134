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
import org.junit.jupiter.api.Test;

/**
 * The web port's first layer on its own, over a socket played by the test: a request it answers
 * ends the input once the answer is out; a good upgrade hands the connection a WebSocket layer,
 * which gets the frames the client sent right behind its head.
 */
class HttpHeadLayerTest {
  private static final String UPGRADE =
      "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

  private final ScriptedLayer socket = new ScriptedLayer();
  private final List<TransportLayer> replaced = new ArrayList<>();
  private final HttpHeadLayer head = socket.headLayer(replaced::add);
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

  private int read(TransportLayer layer) throws IOException {
    buffer.clear();
    return layer.read(buffer);
  }

  @Test
  void aPageRequestIsAnsweredAndThenTheInputEnds() throws IOException {
    socket.input("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    assertEquals(-1, read(head));
    assertTrue(socket.takeWritten().startsWith("HTTP/1.1 200 "));
    assertEquals(List.of(), replaced);
    assertEquals("HTTP response", head.establishingStep());
  }

  @Test
  void anAnswerTheSocketCannotTakeKeepsTheInputOpenAndAsksToWrite() throws IOException {
    socket.room = 10;
    socket.input("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    assertEquals(0, read(head));
    assertEquals(SelectionKey.OP_WRITE, head.interestOps(true, false));
    assertFalse(head.readsWithoutSelect());

    socket.room = Integer.MAX_VALUE;
    assertTrue(head.flushHeld());
    assertTrue(head.readsWithoutSelect(), "the end of the input is due");
    assertEquals(-1, read(head));
  }

  @Test
  void aGoodUpgradeHandsOverAndTheFramesBehindTheHeadAreRead() throws IOException {
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    client.writeBytes((UPGRADE + "\r\n").getBytes(StandardCharsets.US_ASCII));
    client.writeBytes(
        WebSocketFrames.frame(
            WebSocketFrames.FIN | WebSocketFrames.TEXT,
            "C SEQ".getBytes(StandardCharsets.US_ASCII),
            new byte[] {1, 2, 3, 4}));
    socket.input(client.toByteArray());

    assertEquals(0, read(head));
    assertEquals(1, replaced.size());
    TransportLayer websocket = replaced.get(0);
    assertTrue(socket.takeWritten().startsWith("HTTP/1.1 101 "));
    assertTrue(websocket.isEstablished());
    assertTrue(websocket.readsWithoutSelect(), "the early frame waits inside the layer");

    int n = read(websocket);
    assertEquals("C SEQ\n", new String(buffer.array(), 0, n, StandardCharsets.US_ASCII));
  }

  @Test
  void anUpgradeFromAnotherSitesPageIsRefusedAndNothingIsHandedOver() throws IOException {
    socket.input(
        (UPGRADE + "Origin: http://evil.example\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

    assertEquals(-1, read(head));
    assertTrue(socket.takeWritten().startsWith("HTTP/1.1 403 "));
    assertEquals(List.of(), replaced);
  }

  @Test
  void aHeadThatCannotFitIsAnswered431() throws IOException {
    socket.input(
        ("GET / HTTP/1.1\r\nX: " + "a".repeat(HttpRequest.MAX_HEAD_BYTES) + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));

    assertEquals(-1, read(head));
    assertTrue(socket.takeWritten().startsWith("HTTP/1.1 431 "));
  }
}
