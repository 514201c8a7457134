package dev.parley.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loop reads one clock for its iteration time and for every timer's deadline. */
class EventLoopClockTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  // Far from System.nanoTime(), so a deadline taken from the wrong clock never comes due.
  private final AtomicLong clock = new AtomicLong(-7 * SECOND);
  private EventLoop loop;

  @BeforeEach
  void start() throws IOException {
    loop = new EventLoop("clock-loop", clock::get);
    loop.start();
  }

  @AfterEach
  void stop() {
    loop.close();
  }

  @Test
  void aTimerFiresWhenTheLoopsClockReachesItsDeadlineAndNotBefore() throws Exception {
    AtomicBoolean fired = new AtomicBoolean();
    AtomicLong firedAt = new AtomicLong();
    runOnLoop(
        () ->
            loop.schedule(
                SECOND,
                () -> {
                  fired.set(true);
                  firedAt.set(loop.now());
                }));

    clock.addAndGet(SECOND - 1);
    runOnLoop(() -> {}); // one whole iteration, its timers checked at the new time
    assertFalse(fired.get(), "fired a nanosecond early");

    clock.addAndGet(1);
    loop.execute(() -> {}); // wakes the loop, which reads the clock again
    await().atMost(Duration.ofSeconds(10)).untilTrue(fired);
    assertEquals(-6 * SECOND, firedAt.get(), "the loop's time when it fired");
  }

  @Test
  void nowIsTheLoopsClock() throws Exception {
    AtomicLong seen = new AtomicLong();
    clock.set(42 * SECOND);
    runOnLoop(() -> seen.set(loop.now()));
    assertEquals(42 * SECOND, seen.get());
  }

  private void runOnLoop(Runnable task) throws InterruptedException {
    OnLoop.run(loop, task);
  }
}
