package dev.parley.net;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs a test's step on a running {@link EventLoop} and waits for it. Any thread but the loop. */
public final class OnLoop {
  private OnLoop() {}

  public static void run(EventLoop loop, Runnable task) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    loop.execute(
        () -> {
          task.run();
          done.countDown();
        });
    if (!done.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the loop did not run the task");
    }
  }
}
