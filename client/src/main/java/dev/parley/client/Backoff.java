package dev.parley.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The waits between reconnection attempts: doubling from {@code first} up to {@code max}, each
 * drawn at random from the upper half of its step (so a server that restarts is not hit by every
 * client at the same instant), never below {@code first}. Not thread-safe.
 */
final class Backoff {
  private final Duration first;
  private final Duration max;
  private final DoubleSupplier random; // uniform in [0, 1)
  private int attempts;

  Backoff(Duration first, Duration max, DoubleSupplier random) {
    this.first = first;
    this.max = max;
    this.random = random;
  }

  /** The wait before the next attempt. */
  Duration next() {
    long step = first.toNanos() << Math.min(attempts, 30);
    if (step <= 0 || step > max.toNanos()) {
      step = max.toNanos();
    }
    attempts++;
    long wait = step / 2 + (long) (random.getAsDouble() * (step / 2));
    return Duration.ofNanos(Math.max(first.toNanos(), wait));
  }

  /** Starts again from {@code first}: the connection is back. */
  void reset() {
    attempts = 0;
  }
}
