package dev.parley.server.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SoakReportTest {
  private static final long MB = 1L << 20;

  private static SoakReport.Heap heap(long atStart, long connected, long empty) {
    return new SoakReport.Heap(atStart, connected, empty, 156 * MB);
  }

  @Test
  void theSoakLineSaysWhatTheRunDidAndMeasured() {
    Map<String, Integer> dropped = new TreeMap<>(Map.of("NEVER_READS: too slow", 1));
    SoakReport report =
        new SoakReport(
            1000,
            30,
            32.06,
            1.14,
            List.of(
                new SoakReport.Settled("z0961", 1_140_000_000L, 1700),
                new SoakReport.Settled("n0755", 1_100_000_000L, 2)),
            new SoakReport.Counts(2329, 1223384, 1121212, 69, 236, 0, dropped, 983),
            heap(6 * MB, 24 * MB + 5, 11 * MB));

    assertEquals(
        "soak: 1000 clients for 30 s (32.1 s in all, 1.1 s to settle, slowest z0961 1.1 s/1700"
            + " lines n0755 1.1 s/2 lines): 2329 messages confirmed, 1223384 deliveries received,"
            + " 1121212 checked for presence; 69 resets, 236 returns, 0 sign-in retries; dropped"
            + " {NEVER_READS: too slow=1}; 983 still connected at the end; heap after GC 6 MB at"
            + " start, 24 MB with them connected, 11 MB after all left (peak 156 MB before GC)",
        report.line());
  }

  @Test
  void theHeapWithClientsMayGrowBy64MbAndAfterAllLeftByHalfThat() {
    long start = 6 * MB;
    long tolerance = SoakReport.HEAP_TOLERANCE_BYTES;
    assertEquals(64 * MB, tolerance);

    assertTrue(heap(start, start + tolerance - 1, start).connectedNearStart());
    assertFalse(heap(start, start + tolerance, start).connectedNearStart());
    assertTrue(heap(start, start, start + tolerance / 2 - 1).emptyNearStart());
    assertFalse(heap(start, start, start + tolerance / 2).emptyNearStart());
  }
}
