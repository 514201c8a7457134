package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the TLS port refuses, and how: weak cipher suites, old protocol versions (with an alert that
 * says why), and hellos crafted to vary the JDK's error message, which must not vary the metrics.
 */
class TlsRefusalsEndToEndTest {
  private static final int ALERT = 0x15;
  private static final int PROTOCOL_VERSION = 70;

  @RegisterExtension final ServerUnderTest server = ServerUnderTest.started().overTls(true);

  @TempDir Path dir;

  @Test
  void aClientOfferingOnlyACbcSuiteFailsToHandshake() throws Exception {
    assertRefused("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256");
    assertRefused("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA");
  }

  @Test
  void withAnRsaCertificateASuiteWithoutForwardSecrecyFailsAndEcdheWorks() throws Exception {
    TestCertificates.Pair rsa =
        TestCertificates.make(dir, "rsa", "RSA", "dns:localhost,ip:127.0.0.1", 0, 30);
    server.stop();
    server.start(ServerUnderTest.defaults(), rsa.pem());
    assertRefused(rsa, "TLS_RSA_WITH_AES_128_GCM_SHA256");
    assertRefused(rsa, "TLS_RSA_WITH_AES_256_CBC_SHA256");
    assertRefused(rsa, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
    try (SSLSocket ok = clientOffering(rsa, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")) {
      ok.startHandshake();
      assertEquals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", ok.getSession().getCipherSuite());
    }
  }

  @Test
  void aTls11HelloGetsAProtocolVersionAlert() throws Exception {
    try (Socket old = ClientHellos.sent(server.port(), ClientHellos.crafted(0x0302))) {
      byte[] answer = ClientHellos.readToEnd(old.getInputStream());
      // An alert record: type 21, a version, length 2, then level fatal (2) and the description.
      assertTrue(answer.length >= 7, "an alert, not a silent close: " + Arrays.toString(answer));
      assertEquals(ALERT, answer[0]);
      assertArrayEquals(new byte[] {0, 2, 2, PROTOCOL_VERSION}, Arrays.copyOfRange(answer, 3, 7));
    }
  }

  @Test
  void craftedHellosThatVaryTheErrorMessageAddNoMetricSeries() throws Exception {
    for (int i = 0; i < 40; i++) {
      // TLS 1.1 and a made-up version, different each time: the JDK's message names them all.
      try (Socket crafted =
          ClientHellos.sent(server.port(), ClientHellos.crafted(0x0303, 0x0302, 0x7a00 + i))) {
        ClientHellos.readToEnd(crafted.getInputStream());
      }
    }
    server.awaitOpenConnections(0);
    List<String> series =
        server
            .server()
            .metrics(Duration.ofSeconds(5))
            .lines()
            .filter(line -> line.startsWith("parley_disconnects_total{"))
            .collect(Collectors.toList());
    assertTrue(
        series.contains("parley_disconnects_total{reason=\"TLS handshake failed\"} 40"),
        String.join("\n", series));
    assertTrue(series.size() <= DISCONNECT_LABELS, "a fixed set of labels: " + series);
  }

  /** How many labels parley_disconnects_total has at most: one per {@code DisconnectReason}. */
  private static final int DISCONNECT_LABELS = 13;

  private void assertRefused(String suite) throws IOException {
    assertRefused(TestCertificates.localhost(), suite);
  }

  private void assertRefused(TestCertificates.Pair trusted, String suite) throws IOException {
    try (SSLSocket client = clientOffering(trusted, suite)) {
      assertThrows(SSLHandshakeException.class, client::startHandshake, suite);
    }
  }

  private SSLSocket clientOffering(TestCertificates.Pair trusted, String suite) throws IOException {
    SSLSocket socket = (SSLSocket) LineClient.socket(server.port(), 0, trusted.trustingClient());
    socket.setEnabledProtocols(new String[] {"TLSv1.2"});
    socket.setEnabledCipherSuites(new String[] {suite});
    socket.setSoTimeout(10_000);
    return socket;
  }
}
