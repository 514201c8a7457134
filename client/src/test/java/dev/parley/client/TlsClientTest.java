package dev.parley.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.ChatServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.TestCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --tls} against the real server's TLS port: the chain and the name are checked before any
 * line is read, and a certificate that fails is one line and exit 1, never plain text instead. The
 * certificates are made by the JDK's keytool at test time (the server's {@code TestCertificates}).
 */
class TlsClientTest {
  @TempDir Path dir;
  private ChatServer server;
  private ClientRun client;

  @AfterEach
  void stop() throws IOException {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aClientTrustingTheServersCertificateSignsInAndChats() throws Exception {
    Path cert = serve("good", "dns:localhost,ip:127.0.0.1", 0, 30);
    client =
        ClientRun.main(Map.of(), "--tls", "--tls-ca", cert.toString(), "127.0.0.1", port(), "bob");
    client.type("C PM", "D hello over TLS");
    client.endInput();
    assertEquals(0, client.exitCode(), client.err());
    assertTrue(client.out().contains("Signed in as bob"), client.out());
    assertTrue(client.out().contains("bob: hello over TLS"), client.out());
  }

  @Test
  void aCertificateTheClientDoesNotTrustIsOneLineAndExit1() throws Exception {
    serve("self-signed", "dns:localhost,ip:127.0.0.1", 0, 30);
    assertRefused(
        "TLS: the server's certificate is not trusted (a class's own CA or a self-signed"
            + " certificate needs --tls-ca FILE)",
        "--tls",
        "127.0.0.1",
        port(),
        "bob");
  }

  @Test
  void anExpiredCertificateIsRefused() throws Exception {
    assertRefusedTrusting(
        serve("expired", "dns:localhost,ip:127.0.0.1", 3, 1),
        "TLS: the server's certificate has expired");
  }

  @Test
  void aCertificateForAnotherHostIsRefused() throws Exception {
    assertRefusedTrusting(
        serve("elsewhere", "dns:elsewhere.example", 0, 30),
        "TLS: the server's certificate is not for 127.0.0.1");
  }

  @Test
  void aPlainClientOnTheTlsPortIsToldToTryTls() throws Exception {
    serve("good", "dns:localhost,ip:127.0.0.1", 0, 30);
    int port = server.tlsAddress().getPort();
    client =
        ClientRun.session(
            port, ClientRun.greetingWithin(port, false, Main.GREETING_HINT, Duration.ofSeconds(3)));
    // The hint comes while the client still waits; a TLS port never greets a plain client.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> client.out().contains("is this a TLS port? try --tls"));
    assertFalse(client.finished(), "told while waiting, before giving up");
    assertEquals(1, client.exitCode());
    assertTrue(
        client
            .err()
            .matches(
                "cannot sign in to 127\\.0\\.0\\.1:"
                    + port
                    + ": .* - is this a TLS port\\? try --tls\n"),
        client.err());
  }

  @Test
  void aTlsClientOnAPlainPortIsToldInWords() throws Exception {
    server = ClientRun.localServer(1000);
    String port = String.valueOf(server.port());
    client = ClientRun.main(Map.of(), "--tls", "127.0.0.1", port, "bob");
    assertEquals(1, client.exitCode(), client.out());
    assertEquals(
        "cannot connect to 127.0.0.1:"
            + port
            + ": TLS: the server did not answer with TLS - is this a plain port? try without"
            + " --tls\n",
        client.err());
  }

  @Test
  void aCaWithoutTlsIsAUsageError() throws Exception {
    client = ClientRun.main(Map.of(), "--tls-ca", "ca.pem", "127.0.0.1", "5000", "bob");
    assertEquals(2, client.exitCode());
    assertEquals("parley-client: --tls-ca goes with --tls (see --help)\n", client.err());
  }

  /** Refused although the client trusts {@code cert} (--tls-ca): for its dates or its name. */
  private void assertRefusedTrusting(Path cert, String reason) throws Exception {
    assertRefused(reason, "--tls", "--tls-ca", cert.toString(), "127.0.0.1", port(), "bob");
  }

  private void assertRefused(String reason, String... args) throws Exception {
    client = ClientRun.main(Map.of(), args);
    assertEquals(1, client.exitCode(), client.out());
    assertEquals("cannot connect to 127.0.0.1:" + port() + ": " + reason + "\n", client.err());
  }

  private String port() {
    return String.valueOf(server.tlsAddress().getPort());
  }

  /**
   * Starts a server whose TLS port serves a new self-signed certificate; returns the certificate as
   * PEM (what a client's --tls-ca names).
   */
  private Path serve(String name, String san, int startDaysAgo, int validityDays) throws Exception {
    TestCertificates.Pair pair =
        TestCertificates.make(dir, name, "EC", san, startDaysAgo, validityDays);
    server =
        ChatServer.with(ServerConfig.defaults().withAddress("127.0.0.1", 0).withMemoryStore())
            .tls(pair.pkcs12().tlsOnly(true))
            .start();
    return pair.cert();
  }
}
