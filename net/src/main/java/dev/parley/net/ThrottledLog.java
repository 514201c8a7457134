package dev.parley.net;

import org.slf4j.Logger;

/**
 * An INFO line that a flood could repeat a thousand times a second, logged at most about once a
 * period: the first event after a quiet period is logged in full; the ones after it within the
 * period are counted, and one line says how many when the period ends (and a new period begins, so
 * a steady flood costs one line per period). Loop thread only.
 */
public final class ThrottledLog {
  private final EventLoop loop;
  private final long periodNanos;
  private final Logger log;
  private final String summary; // a format with {} for the count and {} for the seconds

  private boolean inPeriod;
  private long suppressed; // events counted, not logged, in the current period

  /**
   * @param summary what the line at the end of a period says, with {@code {}} for how many events
   *     were not logged and {@code {}} for the length of the period in seconds: "{} more TLS
   *     handshakes failed in the last {} s"
   */
  public ThrottledLog(EventLoop loop, long periodNanos, Logger log, String summary) {
    this.loop = loop;
    this.periodNanos = periodNanos;
    this.log = log;
    this.summary = summary;
  }

  /** Logs the line at INFO, or counts it while a period is running. */
  public void info(String format, Object... args) {
    if (inPeriod) {
      suppressed++;
      return;
    }
    log.info(format, args);
    startPeriod();
  }

  private void startPeriod() {
    inPeriod = true;
    loop.schedule(periodNanos, this::endPeriod);
  }

  private void endPeriod() {
    if (suppressed == 0) {
      inPeriod = false;
      return;
    }
    log.info(summary, suppressed, String.format("%.1f", periodNanos / 1e9));
    suppressed = 0;
    startPeriod();
  }
}
