package dev.parley.server.soak;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one soak run did and measured, as the one {@code soak:} line it prints, and the heap check
 * on those figures.
 *
 * @param seconds how long the clients acted (the {@code soak.seconds} asked for)
 * @param totalSeconds the whole run, from the server's start to the last client gone
 * @param settleSeconds from the end of the actions to the last final ping answered
 * @param slowest the clients slowest to settle, slowest first
 */
record SoakReport(
    int clients,
    long seconds,
    double totalSeconds,
    double settleSeconds,
    List<Settled> slowest,
    Counts counts,
    Heap heap) {

  /** Heap after GC may grow by this much over the run and still count as "back near its start". */
  static final long HEAP_TOLERANCE_BYTES = 64L * 1024 * 1024;

  /**
   * How long a client took to answer its first final ping, and the lines it read meanwhile.
   *
   * @param nanos from the start of settling
   */
  record Settled(String name, long nanos, long lines) {}

  /**
   * What the clients did and the checks covered.
   *
   * @param checked (message, recipient) pairs checked for presence
   * @param dropped "kind: reason" to how many clients were dropped so
   * @param connected clients still connected at the end
   */
  record Counts(
      int confirmed,
      long deliveries,
      long checked,
      int resets,
      int returns,
      int retries,
      Map<String, Integer> dropped,
      int connected) {}

  /**
   * Heap in use, in bytes: after GC at the start, with the clients connected at the end and after
   * all left, and the highest seen (before GC) while they acted.
   */
  record Heap(long atStart, long connected, long empty, long peak) {
    /** Whether the heap with the clients still connected is back near its start. */
    boolean connectedNearStart() {
      return connected < atStart + HEAP_TOLERANCE_BYTES;
    }

    /** Whether the heap after every client left is back near its start (half the tolerance). */
    boolean emptyNearStart() {
      return empty < atStart + HEAP_TOLERANCE_BYTES / 2;
    }
  }

  /** The {@code soak:} line. */
  String line() {
    StringBuilder slow = new StringBuilder();
    for (Settled s : slowest) {
      slow.append(
          String.format(Locale.ROOT, " %s %.1f s/%d lines", s.name, s.nanos / 1e9, s.lines));
    }
    return String.format(
        Locale.ROOT,
        "soak: %d clients for %d s (%.1f s in all, %.1f s to settle, slowest%s): %d messages"
            + " confirmed, %d deliveries received, %d checked for presence; %d resets, %d returns,"
            + " %d sign-in retries; dropped %s; %d still connected at the end; heap after GC %d MB"
            + " at start, %d MB with them connected, %d MB after all left (peak %d MB before GC)",
        clients,
        seconds,
        totalSeconds,
        settleSeconds,
        slow,
        counts.confirmed,
        counts.deliveries,
        counts.checked,
        counts.resets,
        counts.returns,
        counts.retries,
        counts.dropped,
        counts.connected,
        heap.atStart >> 20,
        heap.connected >> 20,
        heap.empty >> 20,
        heap.peak >> 20);
  }
}
