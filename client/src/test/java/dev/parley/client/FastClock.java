package dev.parley.client;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A loop clock for tests that, once started, runs much faster than real time: a daemon thread moves
 * it on by {@code step} every few milliseconds and wakes the client's loop, so that a timer set for
 * an hour fires within a second. A client that read {@link System#nanoTime} instead would wait the
 * hour. Until {@link #start} it stands still.
 */
final class FastClock implements LongSupplier, AutoCloseable {
  private static final long TICK_MILLIS = 5;

  private final AtomicLong nanos = new AtomicLong(System.nanoTime());
  private final long stepNanos;
  private volatile ChatClient client;
  private volatile boolean closed;

  FastClock(Duration step) {
    this.stepNanos = step.toNanos();
  }

  /** From now on the clock runs. */
  void start() {
    Thread ticker = new Thread(this::tick, "fast-clock");
    ticker.setDaemon(true);
    ticker.start();
  }

  /** The client whose loop is woken at each tick. */
  void drive(ChatClient client) {
    this.client = client;
  }

  @Override
  public long getAsLong() {
    return nanos.get();
  }

  private void tick() {
    while (!closed) {
      try {
        Thread.sleep(TICK_MILLIS); // the clock's own pace, not a wait for the client
      } catch (InterruptedException e) {
        return;
      }
      nanos.addAndGet(stepNanos);
      ChatClient c = client;
      if (c != null) {
        c.execute(() -> {}); // a select waiting on the old time returns and reads the new one
      }
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
