package dev.parley.client;

import java.time.Duration;

/**
 * How long an ending session waits: once input has ended, for the replies still owed (until the
 * server has been quiet for the quiet period, or the drain limit is reached), and after {@code C
 * EX} for its {@code C BYE} (until quiet again). Sending {@code C EX} early is safe: the server
 * handles lines in order, so anything still owed arrives before its BYE. Decisions only, on times
 * from the client loop's clock ({@link ChatClient#now}); the session keeps the timer. Loop thread
 * only.
 */
final class Departure {
  /** What the end of a wait leads to. */
  enum Step {
    WAIT, // not yet: look again after the wait
    SEND_EXIT, // stop waiting for owed replies: send C EX
    STOP // no BYE came: the session is over either way
  }

  /** A step, and for {@link Step#WAIT} the delay until the next look. */
  record Next(Step step, Duration delay) {}

  private final Duration quietPeriod;
  private final Duration maxDrain;
  private boolean inputEnded;
  private long inputEndedNanos;

  /**
   * @param quietPeriod how long without any line from the server counts as "no more replies"
   * @param maxDrain once input has ended, the longest wait for owed replies before leaving
   */
  Departure(Duration quietPeriod, Duration maxDrain) {
    this.quietPeriod = quietPeriod;
    this.maxDrain = maxDrain;
  }

  /** Input has ended at {@code nowNanos}: the drain limit counts from here. */
  void endInput(long nowNanos) {
    inputEnded = true;
    inputEndedNanos = nowNanos;
  }

  boolean inputEnded() {
    return inputEnded;
  }

  /** The first wait, from when the waiting starts. */
  Duration quietPeriod() {
    return quietPeriod;
  }

  /**
   * What to do when a wait is over.
   *
   * @param leaving {@code C EX} has been sent (waiting for BYE); else waiting for owed replies
   * @param lastHeardNanos when the server last sent anything (or the BYE wait began)
   */
  Next next(boolean leaving, long nowNanos, long lastHeardNanos) {
    long quietLeft = quietPeriod.toNanos() - (nowNanos - lastHeardNanos);
    if (leaving) {
      return quietLeft <= 0 ? new Next(Step.STOP, Duration.ZERO) : waitFor(quietLeft);
    }
    long drainLeft = maxDrain.toNanos() - (nowNanos - inputEndedNanos);
    if (quietLeft <= 0 || drainLeft <= 0) {
      return new Next(Step.SEND_EXIT, Duration.ZERO);
    }
    return waitFor(Math.min(quietLeft, drainLeft));
  }

  private static Next waitFor(long nanos) {
    return new Next(Step.WAIT, Duration.ofNanos(nanos));
  }
}
