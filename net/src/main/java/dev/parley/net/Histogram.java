package dev.parley.net;

/**
 * Durations counted into fixed buckets, for a Prometheus histogram: recording is two array writes
 * and an add, with no allocation. Owned by one thread (the loop): not thread-safe.
 */
public final class Histogram {
  /** Upper bounds of the buckets, in seconds; a last, unbounded bucket ({@code +Inf}) follows. */
  static final double[] BOUNDS_SECONDS = {
    0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  private static final long[] BOUNDS_NANOS = new long[BOUNDS_SECONDS.length];

  static {
    for (int i = 0; i < BOUNDS_SECONDS.length; i++) {
      BOUNDS_NANOS[i] = Math.round(BOUNDS_SECONDS[i] * 1e9);
    }
  }

  private final long[] counts = new long[BOUNDS_SECONDS.length + 1]; // not cumulative
  private long count;
  private long sumNanos;

  /** How many bounded buckets there are (the {@code +Inf} one not counted). */
  public static int buckets() {
    return BOUNDS_SECONDS.length;
  }

  /** The upper bound of bucket {@code i}, in seconds. */
  public static double boundSeconds(int i) {
    return BOUNDS_SECONDS[i];
  }

  public void record(long nanos) {
    int i = 0;
    while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
      i++;
    }
    counts[i]++;
    count++;
    sumNanos += nanos;
  }

  public long count() {
    return count;
  }

  public long sumNanos() {
    return sumNanos;
  }

  /** Observations up to and including bucket {@code i} (Prometheus buckets are cumulative). */
  public long cumulative(int i) {
    long total = 0;
    for (int j = 0; j <= i; j++) {
      total += counts[j];
    }
    return total;
  }
}
