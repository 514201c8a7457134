package dev.parley.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import dev.parley.server.LogCapture;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A flood of one log line becomes the first line and then one count per period. */
class ThrottledLogTest {
  private static final long SECOND = 1_000_000_000L;
  private static final String NAME = "dev.parley.net.ThrottledLogTest";

  private final AtomicLong clock = new AtomicLong();
  private EventLoop loop; // never started: this thread is its loop thread
  private LogCapture log;
  private ThrottledLog throttled;

  @BeforeEach
  void open() throws IOException {
    loop = new EventLoop("test-loop", clock::get);
    log = LogCapture.attach(Level.INFO, NAME);
    throttled =
        new ThrottledLog(loop, SECOND, LoggerFactory.getLogger(NAME), "{} more in the last {} s");
  }

  @AfterEach
  void close() {
    log.close();
    loop.close();
  }

  @Test
  void theFirstLineInFullThenACountEachPeriodAndInFullAgainAfterAQuietOne() throws IOException {
    for (int i = 0; i < 5; i++) {
      throttled.info("failed {}", i);
    }
    assertEquals(List.of("failed 0"), lines());

    pass(SECOND);
    assertEquals(List.of("failed 0", "4 more in the last 1.0 s"), lines());

    throttled.info("failed {}", 5); // in the second period, which a count opened
    pass(SECOND);
    assertEquals(
        List.of("failed 0", "4 more in the last 1.0 s", "1 more in the last 1.0 s"), lines());

    pass(SECOND); // a period with nothing: no line, and the next line is logged in full
    throttled.info("failed {}", 6);
    assertEquals(
        List.of("failed 0", "4 more in the last 1.0 s", "1 more in the last 1.0 s", "failed 6"),
        lines());
  }

  private void pass(long nanos) throws IOException {
    clock.addAndGet(nanos);
    loop.schedule(0, () -> {}); // a due timer: select returns at once
    loop.iterate();
  }

  private List<String> lines() {
    return log.matching(e -> true).stream().map(l -> l.substring(l.indexOf("] ") + 2)).toList();
  }
}
