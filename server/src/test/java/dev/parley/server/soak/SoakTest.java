package dev.parley.server.soak;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.ChatServer;
import dev.parley.server.LogCapture;
import dev.parley.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak test of issue 5: a thousand clients on one in-process server for a set time, signing in,
 * chatting, sending DMs, listing, asking for history, leaving and coming back; some read slowly,
 * some never read, some reset their connection in the middle of something, and a few flood one of
 * those that never read with DMs until it is dropped as too slow. Then:
 *
 * <ol>
 *   <li>the server's connection count and directory are exactly the clients still connected;
 *   <li>the heap after a GC is back near where it started;
 *   <li>every message confirmed with {@code C SENT} reached, exactly once and in seq order, every
 *       user online from before its send until after its confirmation, unless that user was dropped
 *       as too slow (reported) or reset on purpose;
 *   <li>the server logged no WARN or ERROR.
 * </ol>
 *
 * Not part of {@code mvn verify} (tag {@code soak}); run with {@code mvn -B -pl server -am test
 * -Psoak -Dsoak.seconds=30} (default 60 s, {@code -Dsoak.clients=1000}). The clients ({@link
 * ClientDriver}) run on two selector threads of the test's own and record what they see in a {@link
 * Ledger}; a {@link Sampler} measures the server and the heap; a {@link SoakReport} is the line
 * printed. The server is the real one with SQLite in a temporary folder and default limits but a 64
 * KiB queue. (The kernel's socket buffers hold megabytes more on loopback, so only the flooded
 * client is dropped within a short run.)
 */
@Tag("soak")
class SoakTest {
  private static final int CLIENTS = Integer.getInteger("soak.clients", 1000);
  private static final Duration DURATION = Duration.ofSeconds(Long.getLong("soak.seconds", 60));
  private static final long MAX_QUEUE_BYTES = 64 * 1024;
  private static final int WORKERS = 2;
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Duration CLOSE = Duration.ofSeconds(30);

  @TempDir Path dataDir;

  @Test
  void aThousandClientsChatForAWhileAndEverythingAddsUp() throws Exception {
    long started = System.nanoTime();
    try (LogCapture log = LogCapture.attach();
        ChatServer server =
            ChatServer.start(
                ServerConfig.defaults().toBuilder()
                    .host("127.0.0.1")
                    .port(0)
                    .store(ServerConfig.StoreKind.SQLITE)
                    .dataDir(dataDir)
                    .maxQueueBytes(MAX_QUEUE_BYTES)
                    .build())) {
      Sampler sampler = new Sampler(server, log);
      long heapAtStart = sampler.heapAfterGc();
      Ledger ledger = new Ledger();
      ClientDriver clients = new ClientDriver(server.port(), CLIENTS, WORKERS, ledger, started);
      clients.start();
      sampler.samplePeakUntil(started + DURATION.toNanos());
      double settleSeconds = clients.settle(SETTLE, sampler::serverState);

      // 1. Counts and directory: exactly the clients still connected.
      List<String> connected = ledger.stillConnected();
      assertEquals(connected.size(), server.openConnections(), "connections open on the server");
      assertEquals(connected.size(), server.usersOnline(), "users online on the server");
      Set<String> expected = new TreeSet<>(connected);
      expected.add("checker");
      assertEquals(expected, sampler.directory("checker"), "the directory");

      // 3. Deliveries (violations are collected here and by the clients as they read).
      long checked = ledger.checkDeliveries();
      long heapConnected = sampler.heapAfterGc();

      clients.closeAll(CLOSE);
      await().atMost(CLOSE).until(() -> server.openConnections() == 0 && server.usersOnline() == 0);
      clients.stop();
      long heapEmpty = sampler.heapAfterGc();

      SoakReport report =
          new SoakReport(
              CLIENTS,
              DURATION.toSeconds(),
              (System.nanoTime() - started) / 1e9,
              settleSeconds,
              clients.slowest(3),
              new SoakReport.Counts(
                  ledger.confirmedCount(),
                  ledger.deliveries(),
                  checked,
                  ledger.resets(),
                  ledger.returns(),
                  ledger.retries(),
                  ledger.dropReasons(),
                  connected.size()),
              new SoakReport.Heap(heapAtStart, heapConnected, heapEmpty, sampler.peakHeap()));
      String line = report.line();
      System.out.println(line);
      assertEquals(List.of(), ledger.violations(), line);
      // 2. The heap, with the clients connected and after all left.
      assertTrue(report.heap().connectedNearStart(), "heap with the clients connected: " + line);
      assertTrue(report.heap().emptyNearStart(), "heap after all left: " + line);
      // 4. The log.
      assertEquals(List.of(), log.warningsAndErrors(), "the server's log");
    }
  }
}
