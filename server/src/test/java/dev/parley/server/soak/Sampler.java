package dev.parley.server.soak;

import dev.parley.server.ChatServer;
import dev.parley.server.LineClient;
import dev.parley.server.LogCapture;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the soak measures of the server under test and of the JVM it shares with the clients: the
 * heap (its peak while the clients act, and after GC at the points the test picks), the server's
 * counts and log for a failure message, and the directory as a newcomer lists it. The test's
 * thread.
 */
final class Sampler {
  private static final long HEAP_SAMPLE_MILLIS = 200;

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final ChatServer server;
  private final LogCapture log;
  private long peakHeap;

  Sampler(ChatServer server, LogCapture log) {
    this.server = server;
    this.log = log;
  }

  /** Heap in use after a few full collections. */
  long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** Samples the heap in use until {@code end} ({@link System#nanoTime()}), keeping the peak. */
  void samplePeakUntil(long end) throws InterruptedException {
    while (System.nanoTime() < end) {
      peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
      // the soak's own clock: sampling the heap, not waiting for a result
      Thread.sleep(HEAP_SAMPLE_MILLIS);
    }
  }

  /** The highest heap in use seen by {@link #samplePeakUntil}, before any GC. */
  long peakHeap() {
    return peakHeap;
  }

  /**
   * The names that {@code C LIST} shows to a client {@code checker} that signs in now, itself
   * included; it leaves again.
   */
  Set<String> directory(String checker) throws IOException {
    try (LineClient client = LineClient.connect(server.port(), checker)) {
      client.signIn(checker);
      client.send("C LIST");
      List<String> words = Arrays.asList(client.expectStartsWith("C USERS ").split(" "));
      client.send("C EX");
      client.expect("C BYE goodbye");
      return new TreeSet<>(words.subList(3, words.size())); // after "C USERS <count>"
    }
  }

  /** The server's counts and its warnings so far, for a failure message. */
  String serverState() {
    return server.openConnections()
        + " connections, "
        + server.usersOnline()
        + " users; log: "
        + log.warningsAndErrors();
  }
}
