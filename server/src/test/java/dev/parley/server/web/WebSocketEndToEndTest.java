package dev.parley.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.ChatServer;
import dev.parley.server.Delivered;
import dev.parley.server.LineClient;
import dev.parley.server.ServerConfig;
import dev.parley.server.ServerUnderTest;
import dev.parley.server.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Browser users over WebSocket (the JDK's client) and TCP users in one room, on the real server:
 * the same session, the same answers, the same limits.
 */
class WebSocketEndToEndTest {
  private ChatServer server;
  private final List<AutoCloseable> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    start(ServerUnderTest.defaults());
  }

  void start(ServerConfig config) throws Exception {
    server = ChatServer.with(config.withAddress("127.0.0.1", 0)).web(WebConfig.on(0)).start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : clients) {
      c.close();
    }
    server.close();
  }

  private WsClient browser(String name) {
    WsClient c = track(WsClient.open(server.webAddress().getPort()));
    c.signIn(name);
    return c;
  }

  private LineClient console(String name) throws Exception {
    return track(LineClient.signedIn(server.port(), name));
  }

  private <T extends AutoCloseable> T track(T client) {
    clients.add(client);
    return client;
  }

  @Test
  void aBrowserUserAndAConsoleUserTalkBothWaysPubliclyAndDirectly() throws Exception {
    WsClient ann = browser("ann");
    LineClient bob = console("bob");
    ann.expect("C JOIN bob");

    ann.send("C PM", "D hello from the browser");
    ann.expect("C PROMPT TEXT");
    assertTrue(ann.next().startsWith("C SENT PM "));
    Delivered pm = Delivered.pm(bob.next());
    assertEquals("ann", pm.from());
    assertEquals("hello from the browser", pm.text());

    bob.send("C PM", "D héllo from the console");
    Delivered back = Delivered.pm(ann.nextStartingWith("D PM "));
    assertEquals("bob", back.from());
    assertEquals("héllo from the console", back.text());

    ann.send("C DM", "C bob", "D just you");
    String dm = bob.nextStartingWith("D DM ");
    assertTrue(dm.endsWith(" ann bob just you"), dm);
    bob.send("C DM", "C ann", "D and you");
    String dmBack = ann.nextStartingWith("D DM ");
    assertTrue(dmBack.endsWith(" bob ann and you"), dmBack);
  }

  /** Each refusal says what was wrong with the message, in the order the messages came. */
  @Test
  void aBinaryMessageOrOneHoldingALineEndIsRefusedWith400AndTheConnectionGoesOn() {
    WsClient ann = browser("ann");
    ann.sendBinary(new byte[] {1, 2, 3});
    ann.expect("C ERR 400 binary messages are not accepted");
    ann.send("C PM\nD sneaky");
    ann.expect("C ERR 400 a message holds one line");
    ann.send("\n", "C PM\n" + "x".repeat(5000));
    ann.sendBinary(new byte[0]);
    ann.expect("C ERR 400 a message holds one line");
    assertTrue(ann.next().startsWith("C ERR 413 "), "too long comes first");
    ann.expect("C ERR 400 binary messages are not accepted");
    ann.send("C SEQ");
    assertTrue(ann.next().startsWith("C SEQ "));
  }

  @Test
  void aOneMebibyteMessageIsRefusedWith413AndTheConnectionGoesOn() {
    WsClient ann = browser("ann");
    ann.send("C PM");
    ann.expect("C PROMPT TEXT");
    ann.send("D " + "x".repeat(1024 * 1024));
    assertTrue(ann.next().startsWith("C ERR 413"));
    ann.send("C SEQ");
    assertTrue(ann.nextStartingWith("C SEQ ").startsWith("C SEQ "));
  }

  @Test
  void withWebTlsThePortServesWssWithTheTlsCertificate() throws Exception {
    TestCertificates.Pair certificate = TestCertificates.localhost();
    try (ChatServer secure =
        ChatServer.with(ServerUnderTest.defaults().withAddress("127.0.0.1", 0))
            .tls(certificate.pem())
            .web(WebConfig.on(0).withTls(true))
            .start()) {
      WsClient ann =
          track(WsClient.openSecure(secure.webAddress().getPort(), certificate.trustingClient()));
      ann.signIn("ann");
      ann.send("C SEQ");
      assertTrue(ann.next().startsWith("C SEQ "));

      // The page over https tells the browser to keep to https (HSTS), and so does an error.
      HttpClient https = HttpClient.newBuilder().sslContext(certificate.trustingClient()).build();
      for (String path : new String[] {"/", "/nope"}) {
        HttpResponse<String> page =
            https.send(
                HttpRequest.newBuilder(
                        URI.create("https://localhost:" + secure.webAddress().getPort() + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(
            "max-age=86400",
            page.headers().firstValue("Strict-Transport-Security").orElse("none"),
            path);
      }
    }
  }

  @Test
  void anUpgradeFromAnotherSitesPageIsForbidden() {
    int port = server.webAddress().getPort();
    CompletionException refused =
        assertThrows(CompletionException.class, () -> WsClient.open(port, "http://evil.example"));
    WebSocketHandshakeException handshake = (WebSocketHandshakeException) refused.getCause();
    assertEquals(403, handshake.getResponse().statusCode());
    WsClient own = WsClient.open(port, "http://127.0.0.1:" + port);
    clients.add(own);
    assertTrue(own.next().startsWith("C HELLO parley/1"));
  }
}
