package dev.parley.server;

import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Collects the WARN and ERROR events that the server logs while a test runs, so that a test can
 * prove that nothing went wrong on the loop (an exception caught there is logged, not thrown).
 * Attach with {@link #attach()} ({@link #attach(Level, String)} to see one logger's INFO lines too,
 * such as why a connection closed), detach with {@link #close()}. Any thread.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private static final int MAX_KEPT = 1000;

  private final Level lowest;
  private final Logger target;
  private final Level targetLevel; // the target's own level before, restored by close
  private final List<ILoggingEvent> events = new ArrayList<>(); // guarded by itself
  private int dropped; // guarded by events

  private LogCapture(Level lowest, Logger target) {
    this.lowest = lowest;
    this.target = target;
    this.targetLevel = target.getLevel();
  }

  /** Starts collecting from every logger (the root's appenders see every event that passes). */
  public static LogCapture attach() {
    return start(new LogCapture(Level.WARN, root()));
  }

  /**
   * Starts collecting the events of the logger {@code name} at {@code lowest} and above, lowering
   * that logger's level until {@link #close()}: the test configuration keeps INFO lines out of the
   * build log, so they would not even be made.
   */
  public static LogCapture attach(Level lowest, String name) {
    LogCapture capture = new LogCapture(lowest, (Logger) LoggerFactory.getLogger(name));
    capture.target.setLevel(lowest);
    return start(capture);
  }

  private static LogCapture start(LogCapture capture) {
    capture.setContext(root().getLoggerContext());
    capture.setName("test-capture");
    capture.start();
    capture.target.addAppender(capture);
    return capture;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (!event.getLevel().isGreaterOrEqual(lowest)) {
      return;
    }
    event.prepareForDeferredProcessing();
    synchronized (events) {
      if (events.size() < MAX_KEPT) {
        events.add(event);
      } else {
        dropped++;
      }
    }
  }

  /** The events collected so far that {@code unexpected} accepts. */
  public List<String> matching(Predicate<ILoggingEvent> unexpected) {
    List<String> lines = new ArrayList<>();
    synchronized (events) {
      for (ILoggingEvent e : events) {
        if (unexpected.test(e)) {
          lines.add(describe(e));
        }
      }
      if (dropped > 0) {
        lines.add("(and " + dropped + " more events not kept)");
      }
    }
    return lines;
  }

  /** The first event whose message contains {@code text}, waiting up to 10 s for it. */
  public String awaitFirst(String text) {
    Predicate<ILoggingEvent> wanted = e -> e.getFormattedMessage().contains(text);
    await().atMost(Duration.ofSeconds(10)).until(() -> !matching(wanted).isEmpty());
    return matching(wanted).get(0);
  }

  /** Every WARN and ERROR event so far. */
  public List<String> warningsAndErrors() {
    return matching(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
  }

  /** Only the ERROR events so far. */
  public List<String> errors() {
    return matching(e -> e.getLevel().isGreaterOrEqual(Level.ERROR));
  }

  public void clear() {
    synchronized (events) {
      events.clear();
      dropped = 0;
    }
  }

  private static String describe(ILoggingEvent e) {
    String line =
        e.getLevel()
            + " "
            + e.getLoggerName()
            + " ["
            + e.getThreadName()
            + "] "
            + e.getFormattedMessage();
    if (e.getThrowableProxy() != null) {
      line +=
          " ("
              + e.getThrowableProxy().getClassName()
              + ": "
              + e.getThrowableProxy().getMessage()
              + ")";
    }
    return line;
  }

  @Override
  public void close() {
    target.detachAppender(this);
    target.setLevel(targetLevel);
    stop();
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
