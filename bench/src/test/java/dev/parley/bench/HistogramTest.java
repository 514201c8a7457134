package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HistogramTest {

  @Test
  void smallValuesAreExact() {
    Histogram h = new Histogram();
    for (int v = 1; v <= 100; v++) {
      h.record(v);
    }
    assertEquals(50, h.quantile(0.5));
    assertEquals(99, h.quantile(0.99));
    assertEquals(100, h.quantile(1.0));
    assertEquals(100, h.max());
  }

  @Test
  void largeValuesAreWithinOnePercent() {
    Histogram h = new Histogram();
    for (long v = 1_000; v <= 1_000_000_000L; v = v * 11 / 10) {
      h.clear();
      h.record(v);
      h.record(Long.MAX_VALUE / 4);
      long p50 = h.quantile(0.5);
      assertTrue(p50 >= v && p50 <= v * 1.008, v + " read back as " + p50);
    }
  }

  @Test
  void everyBucketHoldsItsOwnValues() {
    for (long v = 0; v < 1_000_000; v = v < 1000 ? v + 1 : v + 997) {
      int i = Histogram.index(v);
      assertTrue(Histogram.highestInBucket(i) >= v, "bucket of " + v);
      if (i > 0) {
        assertTrue(Histogram.highestInBucket(i - 1) < v, "bucket below " + v);
      }
    }
  }

  @Test
  void anEmptyHistogramReadsZero() {
    Histogram h = new Histogram();
    assertEquals(0, h.quantile(0.99));
    assertEquals(0, h.count());
  }
}
