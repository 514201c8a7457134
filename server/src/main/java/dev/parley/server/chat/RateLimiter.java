package dev.parley.server.chat;

/**
 * A token bucket: {@code burst} lines at once, refilled at {@code perSecond}. Pure: the caller
 * passes the time, so tests need no clock. Loop thread only.
 */
final class RateLimiter {
  private static final double NANOS_PER_SECOND = 1e9;

  private final double perNano;
  private final double burst;
  private double tokens;
  private long updatedAt;

  RateLimiter(double perSecond, int burst, long nowNanos) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate and burst must be positive");
    }
    this.perNano = perSecond / NANOS_PER_SECOND;
    this.burst = burst;
    this.tokens = burst;
    this.updatedAt = nowNanos;
  }

  /** True when a line may be taken now. */
  boolean hasToken(long nowNanos) {
    refill(nowNanos);
    return tokens >= 1;
  }

  /** Takes one line's token; callers ask {@link #hasToken} first. */
  void take(long nowNanos) {
    refill(nowNanos);
    tokens -= 1;
  }

  /** Nanoseconds until a token is there (0 when one is). */
  long nanosUntilToken(long nowNanos) {
    refill(nowNanos);
    if (tokens >= 1) {
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / perNano);
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - updatedAt;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * perNano);
      updatedAt = nowNanos;
    }
  }
}
