package dev.parley.server.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.parley.server.ChatServer;
import dev.parley.server.LogCapture;
import dev.parley.server.ServerUnderTest;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The web port's HTTP and the WebSocket rules, driven byte by byte over a raw socket. */
class WebPortEndToEndTest {
  private ChatServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        ChatServer.with(ServerUnderTest.defaults().withAddress("127.0.0.1", 0))
            .web(WebConfig.on(0))
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RawWebClient client() throws Exception {
    return new RawWebClient(server.webAddress().getPort());
  }

  private String get(String request) throws Exception {
    try (RawWebClient c = client()) {
      c.send(request);
      return c.readAll();
    }
  }

  @Test
  void thePageIsServedWithItsSecurityAndCacheHeaders() throws Exception {
    String response = get("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
    assertTrue(response.contains("Content-Type: text/html; charset=utf-8\r\n"), response);
    assertTrue(response.contains("Content-Security-Policy: default-src 'self'"), response);
    assertTrue(response.contains("X-Content-Type-Options: nosniff\r\n"), response);
    assertTrue(response.contains("Cache-Control: no-cache\r\n"), response);
    assertTrue(response.contains("<html"), response);
  }

  @Test
  void unknownPathsAndTraversalAre404AndGarbage400() throws Exception {
    assertTrue(get("GET /nope.js HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404 "));
    assertTrue(get("GET /../logback.xml HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404 "));
    assertTrue(get("GET /%2e%2e/logback.xml HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404 "));
    assertTrue(get("GET /web/app.js HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404 "));
    assertTrue(get("garbage\r\n\r\n").startsWith("HTTP/1.1 400 "));
  }

  /**
   * HEAD answers what GET would, head only: same status, same headers (Content-Length of the body
   * it leaves out), then the connection ends with no body byte.
   */
  @Test
  void headAnswersTheHeadOfWhatGetAnswersWithoutTheBody() throws Exception {
    for (String path :
        new String[] {
          "/", "/index.html", "/app.js", "/view.js", "/connection.js", "/style.css", "/nope", "/ws"
        }) {
      String get = get("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
      String head = get("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(get.substring(0, get.indexOf("\r\n\r\n") + 4), head, path);
    }
    // A HEAD cannot upgrade (RFC 6455 asks for GET): upgrade headers change nothing.
    String upgradeByHead =
        get(
            "HEAD /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    assertEquals(get("HEAD /ws HTTP/1.1\r\nHost: x\r\n\r\n"), upgradeByHead);
  }

  @Test
  void otherMethodsAre405AllowingGetAndHead() throws Exception {
    for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS"}) {
      String response = get(method + " / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
      assertTrue(response.startsWith("HTTP/1.1 405 "), response);
      assertTrue(response.contains("Allow: GET, HEAD\r\n"), response);
    }
  }

  /**
   * A plain web connection reset halfway through its request head has no TLS in it: the close line
   * says what failed, the HTTP request.
   */
  @Test
  void aRequestCutShortByAResetIsLoggedAsAFailedHttpRequest() throws Exception {
    try (LogCapture log = LogCapture.attach(Level.INFO, "dev.parley.server.chat.Session")) {
      Socket socket = new Socket("127.0.0.1", server.webAddress().getPort());
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(UTF_8));
      await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 1);
      socket.setSoLinger(true, 0);
      socket.close(); // a reset, as a killed browser's socket
      String line = log.awaitFirst(" closed (");
      assertTrue(line.contains("closed (HTTP request failed: "), line);
      assertFalse(line.contains("TLS"), line);
    }
  }

  @Test
  void aRequestHeadOverEightKibibytesIs431() throws Exception {
    String response = get("GET / HTTP/1.1\r\nX-Long: " + "a".repeat(9000) + "\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 431 "), response);
  }

  @Test
  void theUpgradeAnswersWithTheAcceptKeyOfRfc6455() throws Exception {
    try (RawWebClient c = client()) {
      String head = c.upgrade();
      assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
      // The example of RFC 6455 section 1.3.
      assertTrue(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), head);
      assertTrue(c.readFrame().text().startsWith("C HELLO parley/1"));
    }
  }

  @Test
  void anUnmaskedClientFrameIsClosedWith1002() throws Exception {
    try (RawWebClient c = client()) {
      c.upgrade();
      c.send(RawWebClient.frame(0x81, "C SEQ".getBytes(StandardCharsets.UTF_8), false));
      RawWebClient.Frame close = c.nextControl();
      assertEquals(8, close.opcode());
      assertEquals(1002, close.closeCode());
    }
  }

  @Test
  void reservedBitsAreClosedWith1002() throws Exception {
    try (RawWebClient c = client()) {
      c.upgrade();
      c.send(RawWebClient.frame(0xC1, "C SEQ".getBytes(StandardCharsets.UTF_8), true));
      assertEquals(1002, c.nextControl().closeCode());
    }
  }

  @Test
  void textThatIsNotUtf8IsClosedWith1007() throws Exception {
    try (RawWebClient c = client()) {
      c.upgrade();
      c.send(RawWebClient.frame(0x81, new byte[] {'C', ' ', (byte) 0xC0, (byte) 0x80}, true));
      assertEquals(1007, c.nextControl().closeCode());
    }
  }

  @Test
  void aPingIsAnsweredWithAPongBetweenTheFragmentsOfAMessage() throws Exception {
    try (RawWebClient c = client()) {
      c.upgrade();
      assertTrue(c.readFrame().text().startsWith("C HELLO"));
      c.send(RawWebClient.frame(0x01, "C NI".getBytes(StandardCharsets.UTF_8), true));
      c.send(RawWebClient.frame(0x89, new byte[] {7, 8}, true));
      RawWebClient.Frame pong = c.readFrame();
      assertEquals(0x8A, pong.first());
      assertArrayEquals(new byte[] {7, 8}, pong.payload());
      c.send(RawWebClient.frame(0x80, "CK ann".getBytes(StandardCharsets.UTF_8), true));
      assertTrue(c.readFrame().text().startsWith("C READY ann "));
    }
  }

  @Test
  void aCloseFrameIsEchoedAndTheConnectionEnds() throws Exception {
    try (RawWebClient c = client()) {
      c.upgrade();
      c.send(RawWebClient.frame(0x88, new byte[] {0x03, (byte) 0xE9}, true)); // 1001
      RawWebClient.Frame close = c.nextControl();
      assertEquals(8, close.opcode());
      assertEquals(1001, close.closeCode());
      assertEquals(-1, c.input().read());
    }
  }

  /** The peer's close code and reason are logged; the reason is the client's text, neutralised. */
  @Test
  void thePeersCloseCodeAndReasonAreLogged() throws Exception {
    try (LogCapture log = LogCapture.attach(Level.INFO, "dev.parley.server");
        RawWebClient c = client()) {
      c.upgrade();
      byte[] reason = "tab closed\u001b[2J\u202e".getBytes(UTF_8);
      byte[] payload = new byte[2 + reason.length];
      payload[0] = 0x03;
      payload[1] = (byte) 0xE9; // 1001
      System.arraycopy(reason, 0, payload, 2, reason.length);
      c.send(RawWebClient.frame(0x88, payload, true));
      assertEquals(1001, c.nextControl().closeCode());
      String line = log.awaitFirst("WebSocket close");
      assertTrue(line.endsWith(" 1001 \"tab closed\\x1b[2J\\u202e\""), line);
    }
  }
}
