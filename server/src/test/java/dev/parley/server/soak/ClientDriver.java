package dev.parley.server.soak;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The soak's client side: {@link SoakClient}s spread over a few {@link SoakWorker} threads of the
 * test's own, and the phases of the run they all follow. The clients start 2 ms apart and act until
 * {@link #settle} stops new actions and proves, by two rounds of pings, that every delivery was
 * read; {@link #closeAll} makes them leave. Its methods are for the test's thread; the phase is
 * read by the workers.
 */
final class ClientDriver {
  static final long MS = 1_000_000L;

  final int port;
  final int clientCount;
  final Ledger ledger;
  private final List<SoakWorker> workers = new ArrayList<>();

  // 0 running; 1 settling (actions finish, then a first final ping); 2 a second final ping, sent
  // once every client has answered the first, so no message is in flight any more; 3 closing
  private volatile int phase;
  private volatile long settleStartedAt;

  /** {@code clients} clients of the server on {@code port}, the first due at {@code started}. */
  ClientDriver(int port, int clients, int workerThreads, Ledger ledger, long started)
      throws IOException {
    this.port = port;
    this.clientCount = clients;
    this.ledger = ledger;
    for (int w = 0; w < workerThreads; w++) {
      workers.add(new SoakWorker(w, this));
    }
    for (int i = 0; i < clients; i++) {
      workers.get(i % workerThreads).add(new SoakClient(i, Kind.of(i), started + i * 2 * MS, this));
    }
  }

  void start() {
    for (SoakWorker w : workers) {
      w.start();
    }
  }

  int phase() {
    return phase;
  }

  /** Clients act only while running; once settling, they finish and answer the final pings. */
  boolean running() {
    return phase == 0;
  }

  boolean settling() {
    return phase >= 1;
  }

  long settleStartedAt() {
    return settleStartedAt;
  }

  /**
   * Settle: no new actions; everyone finishes what it started, then two rounds of pings prove that
   * every delivery has been read. A worker that does not settle within {@code timeout} fails the
   * test with what its clients wait for and {@code serverState}. Returns the seconds it took.
   */
  double settle(Duration timeout, Supplier<String> serverState) throws InterruptedException {
    long settleStart = System.nanoTime();
    settleStartedAt = settleStart;
    for (int round = 0; round < 2; round++) {
      phase = 1 + round;
      for (SoakWorker w : workers) {
        if (!w.settled[round].await(timeout.toSeconds(), TimeUnit.SECONDS)) {
          throw new AssertionError(
              "worker "
                  + w.index
                  + " did not settle in round "
                  + round
                  + ": "
                  + w.unsettled()
                  + "; server: "
                  + serverState.get());
        }
      }
    }
    for (SoakWorker w : workers) {
      w.checkFailure();
    }
    return (System.nanoTime() - settleStart) / 1e9;
  }

  /** The {@code n} clients that took longest to answer their first final ping, slowest first. */
  List<SoakReport.Settled> slowest(int n) {
    List<SoakReport.Settled> all = new ArrayList<>();
    for (SoakWorker w : workers) {
      for (SoakClient c : w.clients) {
        all.add(c.settled());
      }
    }
    all.sort(Comparator.comparingLong(SoakReport.Settled::nanos).reversed());
    return List.copyOf(all.subList(0, Math.min(n, all.size())));
  }

  /** Every client leaves; each worker must see all of its clients closed within {@code timeout}. */
  void closeAll(Duration timeout) throws InterruptedException {
    phase = 3;
    for (SoakWorker w : workers) {
      assertTrue(
          w.closed.await(timeout.toSeconds(), TimeUnit.SECONDS),
          "worker " + w.index + " did not close");
    }
  }

  /** Ends the worker threads; fails the test if one of them failed. */
  void stop() throws InterruptedException {
    for (SoakWorker w : workers) {
      w.stop();
    }
  }
}
