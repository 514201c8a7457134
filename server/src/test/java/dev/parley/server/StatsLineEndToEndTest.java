package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.server.chat.ChatService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The stats line speaks to an operator (users, connections, rates, bytes queued, drops by reason,
 * resident memory) and the loop's allocation figures are on a DEBUG line of their own.
 */
class StatsLineEndToEndTest {
  @RegisterExtension final ServerUnderTest server = ServerUnderTest.started();

  private final Logger logger = (Logger) LoggerFactory.getLogger(ChatService.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private Level levelBefore;

  @BeforeEach
  void listen() {
    levelBefore = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    logger.setAdditive(false); // keep the lines out of the build's output
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void stopListening() {
    logger.detachAppender(lines);
    logger.setAdditive(true);
    logger.setLevel(levelBefore);
  }

  private List<String> messages(Level level, String prefix) {
    List<String> found = new ArrayList<>();
    synchronized (lines.list) {
      for (ILoggingEvent e : lines.list) {
        if (e.getLevel() == level && e.getFormattedMessage().startsWith(prefix)) {
          found.add(e.getFormattedMessage());
        }
      }
    }
    return found;
  }

  @Test
  void theShutdownStatsLineSaysWhatAnOperatorNeeds() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signIn("bob");
    alice.expect("C JOIN bob");
    alice.send("C PM", "D hello");
    alice.expect("C PROMPT TEXT");
    alice.expectStartsWith("C SENT PM ");
    bob.expectStartsWith("D PM ");

    server.server().shutdown(Duration.ofSeconds(5));

    List<String> stats = messages(Level.INFO, "stats: ");
    assertEquals(1, stats.size(), stats.toString());
    assertTrue(
        stats
            .get(0)
            .matches(
                "stats: 2 users, 2 connections, \\d+\\.\\d messages/s, \\d+\\.\\d deliveries/s,"
                    + " \\d+ bytes queued, drops \\(too slow 0, ping timeout 0, sign-in timeout 0\\),"
                    + " rss (\\d+ MiB|unknown)"),
        stats.get(0));
    List<String> debug = messages(Level.DEBUG, "loop allocated ");
    assertEquals(1, debug.size(), debug.toString());
    assertTrue(
        debug.get(0).matches("loop allocated \\d+ KiB( \\(.* B/delivery\\))?, heap \\d+ MiB,.*"),
        debug.get(0));
  }
}
