package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.parley.server.tls.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only TLS has: peers that never finish a handshake, certificate reloads, the goodbye with
 * {@code close_notify}. The protocol itself over TLS is the plain suites run again ({@code
 * *OverTlsEndToEndTest}), limits included: a TLS client that never reads beside a flood is dropped
 * as too slow there ({@code LimitsOverTlsEndToEndTest}).
 */
class TlsEndToEndTest {
  /**
   * The first bytes of a TLS 1.2/1.3 ClientHello record: a handshake record header announcing more
   * bytes than are ever sent.
   */
  private static final byte[] HALF_CLIENT_HELLO = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01};

  @RegisterExtension
  final ServerUnderTest server =
      ServerUnderTest.startedWith(
              () ->
                  ServerUnderTest.defaults().toBuilder()
                      .signInTimeout(Duration.ofSeconds(1))
                      .build())
          .overTls(true);

  @TempDir Path dir;

  private final LogCapture log = LogCapture.attach();

  @AfterEach
  void noWarnings() {
    log.close();
    assertEquals(List.of(), log.warningsAndErrors(), "a bad peer is routine: no WARN or ERROR");
  }

  @Test
  void plainTextToTheTlsPortIsClosedAndCostsNothingElse() throws Exception {
    LineClient alice = server.signIn("alice");
    try (Socket plain = rawSocket()) {
      plain.getOutputStream().write("C NICK mallory\n".getBytes(StandardCharsets.US_ASCII));
      assertEquals(-1, readToEnd(plain.getInputStream()), "closed without an answer");
    }
    server.awaitOpenConnections(1);
    alice.send("C PING still");
    alice.expect("C PONG still");
  }

  @Test
  void garbageToTheTlsPortIsClosed() throws Exception {
    try (Socket garbage = rawSocket()) {
      byte[] noise = new byte[4096];
      new java.util.Random(7).nextBytes(noise);
      noise[0] = 0x16; // looks like a handshake record at first
      garbage.getOutputStream().write(noise);
      assertEquals(-1, readToEnd(garbage.getInputStream()));
    }
    server.awaitOpenConnections(0);
  }

  @Test
  void aHandshakeThatStallsHalfwayIsClosedAtTheSignInDeadline() throws Exception {
    LineClient alice = server.signIn("alice");
    try (Socket stalled = rawSocket()) {
      stalled.getOutputStream().write(HALF_CLIENT_HELLO);
      server.awaitOpenConnections(2);
      // The handshake counts toward the sign-in deadline (1 s here): closed then, silently.
      assertEquals(-1, readToEnd(stalled.getInputStream()));
    }
    server.awaitOpenConnections(1);
    alice.send("C PING still");
    alice.expect("C PONG still");
  }

  @Test
  void aClientKilledInTheMiddleOfItsHandshakeIsForgotten() throws Exception {
    try (LogCapture info = LogCapture.attach(Level.INFO, "dev.parley.server.chat.Session")) {
      Socket killed = rawSocket();
      killed.getOutputStream().write(HALF_CLIENT_HELLO);
      server.awaitOpenConnections(1);
      killed.setSoLinger(true, 0);
      killed.close(); // a reset, as a killed process's socket
      server.awaitOpenConnections(0);
      String line = info.awaitFirst(" closed (");
      assertTrue(line.contains("closed (TLS handshake failed: "), line);
    }
    server.signIn("after");
  }

  @Test
  void aReloadServesTheNewCertificateToNewConnectionsAndABadFileKeepsTheOld() throws Exception {
    Path cert = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    TestCertificates.Pair first = TestCertificates.localhost();
    TestCertificates.Pair second =
        TestCertificates.make(dir, "renewed", "RSA", "dns:localhost,ip:127.0.0.1", 0, 30);
    copy(first, cert, key);
    server.stop();
    server.start(ServerUnderTest.defaults(), TlsConfig.pem(0, cert, key));

    LineClient before = server.connect("before", first.trustingClient());
    before.signIn("before");

    copy(second, cert, key);
    assertTrue(server.server().reloadTls());
    assertEquals(second.certificate(), servedCertificate(second.trustingClient()));
    before.send("C PING old");
    before.expect("C PONG old"); // connections already up keep their session

    Files.writeString(key, "not a key");
    assertFalse(server.server().reloadTls());
    assertEquals(second.certificate(), servedCertificate(second.trustingClient()));
    assertEquals(
        1, log.warningsAndErrors().size(), "one line says why: " + log.warningsAndErrors());
    log.clear();
  }

  @Test
  void shutdownSaysByeAndClosesWithCloseNotify() throws Exception {
    RecordingSocket tcp = new RecordingSocket();
    tcp.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
    SSLSocket tls =
        (SSLSocket)
            TestCertificates.localhost()
                .trustingClient()
                .getSocketFactory()
                .createSocket(tcp, "localhost", server.port(), true);
    // TLS 1.2, where an alert record shows its type on the wire (1.3 hides it as application data).
    tls.setEnabledProtocols(new String[] {"TLSv1.2"});
    tls.setSoTimeout(10_000);
    try (tls) {
      java.io.BufferedReader in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
      assertTrue(in.readLine().startsWith("C HELLO "));
      server.server().shutdown(Duration.ofSeconds(5));
      assertEquals("C BYE server shutting down", in.readLine());
      assertNull(in.readLine());
    }
    assertEquals(ALERT, tcp.lastRecordType(), "the last record the server sent is close_notify");
  }

  private static final int ALERT = 21;

  /** A TCP socket that keeps what it read, so a test can look at the TLS records themselves. */
  private static final class RecordingSocket extends Socket {
    private final java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();

    @Override
    public InputStream getInputStream() throws IOException {
      InputStream in = super.getInputStream();
      return new java.io.FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            read.write(b);
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            read.write(b, off, n);
          }
          return n;
        }
      };
    }

    /** The content type of the last whole TLS record read (header: type, version, length). */
    int lastRecordType() {
      byte[] bytes = read.toByteArray();
      int type = -1;
      for (int at = 0; at + 5 <= bytes.length; ) {
        int length = ((bytes[at + 3] & 0xff) << 8) | (bytes[at + 4] & 0xff);
        if (at + 5 + length > bytes.length) {
          break;
        }
        type = bytes[at];
        at += 5 + length;
      }
      return type;
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateFailsTheHandshake() throws Exception {
    SSLContext defaults = SSLContext.getDefault(); // the JDK's trust store: no self-signed cert
    try (Socket socket = LineClient.socket(server.port(), 0, defaults)) {
      assertThrows(SSLHandshakeException.class, () -> ((SSLSocket) socket).startHandshake());
    }
  }

  private Socket rawSocket() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Reads until the end of the stream; returns -1 there (an exception means it never came). */
  private static int readToEnd(InputStream in) throws IOException {
    byte[] buffer = new byte[4096];
    int n;
    do {
      n = in.read(buffer);
    } while (n > 0);
    return n;
  }

  private X509Certificate servedCertificate(SSLContext client) throws IOException {
    try (SSLSocket socket = (SSLSocket) LineClient.socket(server.port(), 0, client)) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  private static void copy(TestCertificates.Pair pair, Path cert, Path key) throws IOException {
    Files.copy(pair.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(pair.key(), key, StandardCopyOption.REPLACE_EXISTING);
  }
}
