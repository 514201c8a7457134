package dev.parley.server.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.parley.server.ChatServer;
import dev.parley.server.LineClient;
import dev.parley.server.LogCapture;
import dev.parley.server.ServerUnderTest;
import dev.parley.server.WebSocketClientSocket;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The web port's HTTP and the WebSocket rules, driven byte by byte over a raw socket. */
class WebPortEndToEndTest {
  private ChatServer server;

  // 12.7 MB of pongs: three times what the kernel's buffers may hold (Linux grows a send buffer up
  // to net.ipv4.tcp_wmem's maximum, 4 MiB by default)
  private static final int PINGS = 100_000;
  private static final int LAST = 0xFFFFFF;

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
    assertFalse(response.contains("Strict-Transport-Security"), "HSTS over plain http");
  }

  private String upgradeFrom(String host, String origin) throws Exception {
    try (RawWebClient c = client()) {
      c.send(
          "GET /ws HTTP/1.1\r\nHost: "
              + host
              + "\r\nOrigin: "
              + origin
              + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
      return c.readHead();
    }
  }

  /**
   * DNS rebinding: a page of attacker.example, its name pointed at this server, sends its own name
   * as Host and Origin. The page's own origin counts only for the server's names: 421.
   */
  @Test
  void aPageFromANameThatIsNotTheServersIsMisdirected() throws Exception {
    int port = server.webAddress().getPort();
    String head = upgradeFrom("attacker.example:" + port, "http://attacker.example:" + port);
    assertTrue(head.startsWith("HTTP/1.1 421 Misdirected Request\r\n"), head);
    try (RawWebClient c = client()) {
      c.send(
          "GET /ws HTTP/1.1\r\nHost: attacker.example\r\nOrigin: http://attacker.example\r\n"
              + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
      assertTrue(c.readAll().contains("--web-origin"), "the body says what to do");
    }
  }

  /** Bound to 127.0.0.1, the server's names are its address and the loopback names. */
  @Test
  void thePagesOwnOriginIsAcceptedForTheServersAddressAndTheLoopbackNames() throws Exception {
    int port = server.webAddress().getPort();
    for (String host : new String[] {"127.0.0.1", "localhost", "LocalHost.", "[::1]"}) {
      String head = upgradeFrom(host + ":" + port, "http://" + host + ":" + port);
      assertTrue(head.startsWith("HTTP/1.1 101 "), host + ": " + head);
    }
    // Another page on one of them is still another site.
    assertTrue(
        upgradeFrom("localhost:" + port, "http://localhost:3000").startsWith("HTTP/1.1 403 "));
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

  private static byte[] ping(int n) {
    byte[] payload = new byte[125];
    payload[0] = (byte) (n >> 16);
    payload[1] = (byte) (n >> 8);
    payload[2] = (byte) n;
    return RawWebClient.frame(0x89, payload, true);
  }

  /**
   * Issue 19, item 1: a WebSocket client sends pings and never reads (a receive buffer of 4 KiB).
   * The server stops reading from it while a pong waits for the socket, answers only the latest of
   * the pings it has read meanwhile, and a TCP user gets every answer; once the client reads, its
   * frames are whole and its last ping is answered.
   */
  @Test
  void aClientThatPingsAndNeverReadsGetsOnePongForItsLatestPingAndHurtsNobody() throws Exception {
    try (Socket flooder = new Socket();
        LineClient ben = LineClient.signedIn(server.port(), "ben")) {
      flooder.setReceiveBufferSize(4096);
      flooder.connect(new InetSocketAddress("127.0.0.1", server.webAddress().getPort()));
      flooder.setSoTimeout(10_000);
      OutputStream out = flooder.getOutputStream();
      out.write(
          ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      // Signed in, so that a slow run does not meet the sign-in deadline; the pings are the same.
      out.write(RawWebClient.frame(0x81, "C NICK flood".getBytes(StandardCharsets.UTF_8), true));
      AtomicLong written = new AtomicLong();
      CompletableFuture<Void> sent =
          CompletableFuture.runAsync(
              () -> {
                try {
                  ByteArrayOutputStream batch = new ByteArrayOutputStream();
                  for (int i = 0; i <= PINGS; i++) {
                    batch.writeBytes(ping(i == PINGS ? LAST : i));
                    if (batch.size() > 60_000 || i == PINGS) {
                      out.write(batch.toByteArray());
                      written.addAndGet(batch.size());
                      batch.reset();
                    }
                  }
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });

      // Another user is answered while the flood goes on.
      ben.expect("C JOIN flood");
      for (int i = 0; i < 20; i++) {
        ben.send("C PING " + i);
        ben.expect("C PONG " + i);
      }
      // The flood stops moving: the server no longer reads it (or it was all sent).
      long[] last = {-1};
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .during(Duration.ofMillis(500))
          .until(
              () -> {
                long now = written.get();
                boolean still = now == last[0];
                last[0] = now;
                return still;
              });
      long stalledAt = written.get();
      ben.send("C PING paused");
      ben.expect("C PONG paused");

      // The flooder reads at last: the pongs that fitted in the buffers, then one for its last
      // ping.
      DataInputStream in = new DataInputStream(flooder.getInputStream());
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 101 "), head);
      int pongs = 0;
      while (true) {
        RawWebClient.Frame frame =
            new RawWebClient.Frame(in.readUnsignedByte(), WebSocketClientSocket.readPayload(in));
        if (frame.opcode() != 0xA) {
          continue; // C HELLO, C READY, C JOIN ...
        }
        pongs++;
        byte[] p = frame.payload();
        int n = (p[0] & 0xFF) << 16 | (p[1] & 0xFF) << 8 | (p[2] & 0xFF);
        if (n == LAST) {
          break;
        }
      }
      sent.get(10, TimeUnit.SECONDS);
      assertTrue(
          stalledAt < (PINGS + 1L) * ping(0).length,
          "the server read the whole flood while its pongs could not be written");
      assertTrue(pongs <= PINGS, "every one of " + (PINGS + 1) + " pings got its own pong");
      ben.send("C PING after");
      ben.expect("C PONG after");
      assertEquals(2, server.openConnections());
    }
  }

  private static String readHead(DataInputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      head.write(in.readUnsignedByte());
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }
}
