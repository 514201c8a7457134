package dev.parley.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A flood of one recorded ClientHello, replayed on fresh connections that hang up at once (issue
 * 19, item 2), from another loopback address than the users' (127.0.0.2; the server is still only
 * contacted at 127.0.0.1): no crypto for the peers that have gone, no seat taken from anyone, a
 * real TLS user and plain users served during it, and a log that does not grow a line per hello.
 */
class TlsHelloReplayEndToEndTest {
  private static final String FLOOD_ADDRESS = "127.0.0.2";

  @RegisterExtension final ServerUnderTest server = ServerUnderTest.startedByEachTest();

  private final AtomicBoolean flooding = new AtomicBoolean(true);
  private final AtomicInteger replayed = new AtomicInteger();
  private Thread flood;

  @AfterEach
  void stopFlood() throws InterruptedException {
    flooding.set(false);
    if (flood != null) {
      flood.join(10_000);
    }
  }

  @Test
  void replayedHellosThatHangUpCostNoCryptoAndTurnNoUserAway() throws Exception {
    int users = 6;
    server.start(
        ServerUnderTest.defaults().toBuilder().maxClients(users + 2).build(),
        TestCertificates.localhost().pem().withHandshakeLimits(16, 4));
    try (LogCapture closes = LogCapture.attach(Level.INFO, "dev.parley.server.chat.Session")) {
      long started = System.nanoTime();
      startFlood(ClientHellos.recorded(TestCertificates.localhost().trustingClient()));
      awaitReplayed(200);
      List<LineClient> plain = new ArrayList<>();
      for (int i = 0; i < users - 1; i++) {
        LineClient user = server.connectPlain("plain" + i);
        user.signIn("plain" + i); // C HELLO, not C ERR 503: the flood holds no seat
        plain.add(user);
      }
      LineClient real = server.signIn("real"); // over TLS, while the flood goes on
      real.send("C PING during");
      real.expect("C PONG during");
      awaitReplayed(replayed.get() + 200);
      flooding.set(false);
      flood.join(10_000);
      int sent = replayed.get();
      server.awaitOpenConnections(users);

      String metrics = server.server().metrics(Duration.ofSeconds(5));
      long run = sample(metrics, "parley_tls_tasks_total");
      long skipped = sample(metrics, "parley_tls_tasks_skipped_total");
      assertEquals(0, sample(metrics, "parley_tls_handshakes"), metrics);
      // The real user's handshake runs a task or two; a hello whose end of stream had not arrived
      // when its task's turn came may run one: a few, never one per hello.
      assertTrue(run < sent / 10, run + " crypto tasks for " + sent + " replays\n" + metrics);
      assertTrue(skipped > 0, metrics);

      // One line, then one a second with a count (the count comes when its second is over).
      closes.awaitFirst(" more connections failed their TLS handshake");
      double seconds = (System.nanoTime() - started) / 1e9;
      List<String> failures =
          closes.matching(e -> e.getFormattedMessage().contains("TLS handshake"));
      assertTrue(
          failures.size() <= 2 * (Math.ceil(seconds) + 1),
          failures.size() + " lines in " + seconds + " s for " + sent + " replays");
      assertEquals(users, server.server().openConnections());
    }
  }

  @Test
  void beyondTheHandshakeBoundsNewTlsConnectionsAreClosedAtOnceAndPlainUsersStillServed()
      throws Exception {
    server.start(
        ServerUnderTest.defaults().toBuilder().maxClients(2).build(),
        TestCertificates.localhost().pem().withHandshakeLimits(3, 2));
    List<Socket> idle = new ArrayList<>();
    try {
      idle.add(rawFrom("127.0.0.2"));
      idle.add(rawFrom("127.0.0.2"));
      idle.add(rawFrom("127.0.0.3"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  sample(server.server().metrics(Duration.ofSeconds(5)), "parley_tls_handshakes")
                      == 3);
      try (Socket perAddress = rawFrom("127.0.0.2");
          Socket overall = rawFrom("127.0.0.4")) {
        assertEquals(-1, perAddress.getInputStream().read(), "closed at once: 2 per address");
        assertEquals(-1, overall.getInputStream().read(), "closed at once: 3 in all");
      }
      assertEquals(
          2,
          sample(
              server.server().metrics(Duration.ofSeconds(5)),
              "parley_tls_handshakes_refused_total"));
      // Three handshakes under way, --max-clients 2: they hold no seat, so both plain users fit.
      server.connectPlain("ann").signIn("ann");
      server.connectPlain("bob").signIn("bob");
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  @Test
  void aHandshakeThatEndsWhenTheSeatsAreTakenIsClosedAsServerFull() throws Exception {
    server.start(
        ServerUnderTest.defaults().toBuilder().maxClients(1).build(),
        TestCertificates.localhost().pem());
    try (Socket raw = rawFrom("127.0.0.1")) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sample(metrics(), "parley_tls_handshakes") == 1);
      server.connectPlain("ann").signIn("ann"); // the one seat: the handshake did not hold it
      SSLSocket tls =
          (SSLSocket)
              TestCertificates.localhost()
                  .trustingClient()
                  .getSocketFactory()
                  .createSocket(raw, "localhost", server.port(), false);
      tls.startHandshake();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        assertTrue(line.startsWith("C HELLO "), "nothing but the greeting may have left: " + line);
      }
    }
    server.awaitOpenConnections(1);
    assertTrue(metrics().contains("parley_disconnects_total{reason=\"server full\"} 1"), metrics());
  }

  private String metrics() {
    return server.server().metrics(Duration.ofSeconds(5));
  }

  private void startFlood(byte[] hello) {
    flood =
        new Thread(
            () -> {
              while (flooding.get()) {
                try (Socket s = rawFrom(FLOOD_ADDRESS)) {
                  s.getOutputStream().write(hello);
                } catch (IOException e) {
                  // refused at accept, or reset: the next one goes on
                }
                replayed.incrementAndGet();
              }
            },
            "hello-replay");
    flood.start();
  }

  private void awaitReplayed(int n) {
    await().atMost(Duration.ofSeconds(60)).until(() -> replayed.get() >= n);
  }

  /** A TCP connection from {@code local} (a loopback address) to the server's TLS port. */
  private Socket rawFrom(String local) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(local, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static long sample(String metrics, String name) {
    return metrics
        .lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(name.length() + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in\n" + metrics));
  }
}
