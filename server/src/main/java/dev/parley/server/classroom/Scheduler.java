package dev.parley.server.classroom;

/**
 * Timers on the loop ({@link dev.parley.net.EventLoop#schedule} in the server, a manual clock in
 * tests). Loop thread only.
 */
@FunctionalInterface
interface Scheduler {

  /** Runs {@code action} on the loop after {@code delayNanos}; the result cancels it. */
  Runnable schedule(long delayNanos, Runnable action);
}
