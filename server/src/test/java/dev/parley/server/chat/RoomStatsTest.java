package dev.parley.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ErrorCode;
import dev.parley.server.metrics.PrometheusText;
import org.junit.jupiter.api.Test;

/** The statistics' decisions: what a stats line counts, when it is quiet, what a scrape reads. */
class RoomStatsTest {
  private static final long SECOND = 1_000_000_000L;

  private final RoomStats stats = new RoomStats();

  /** A room of two users on three connections, 100 bytes queued, no store lag. */
  private final RoomStats.Gauges room =
      new RoomStats.Gauges() {
        @Override
        public int connections() {
          return 3;
        }

        @Override
        public int users() {
          return 2;
        }

        @Override
        public long queuedBytes() {
          return 100;
        }

        @Override
        public long storeLagBatches() {
          return 0;
        }
      };

  @Test
  void eachLineCountsWhatHappenedSinceTheLastAndAQuietPeriodSaysNothing() {
    stats.start(0);
    stats.messagesIn += 20;
    stats.countClose("too slow");
    stats.countClose("quit");
    assertTrue(stats.due(RoomStats.STATS_NANOS));
    String first = stats.endPeriod(10 * SECOND, false, room);
    assertNull(stats.endPeriod(20 * SECOND, false, room), "nothing happened: no line");
    stats.messagesIn += 5;
    stats.countClose("ping timeout");
    String third = stats.endPeriod(30 * SECOND, false, room);
    assertTrue(first.startsWith("stats: 2 users, 3 connections, 2.0 messages/s"), first);
    assertTrue(first.contains("100 bytes queued"), first);
    assertTrue(first.contains("drops (too slow 1, ping timeout 0, sign-in timeout 0)"), first);
    assertTrue(third.contains("0.5 messages/s"), third);
    assertTrue(third.contains("drops (too slow 0, ping timeout 1, sign-in timeout 0)"), third);
  }

  @Test
  void aLineIsMadeWhenAskedForEvenIfQuiet() {
    stats.start(0);
    String line = stats.endPeriod(SECOND, true, room);
    assertNotNull(line, "asked for: a line even though nothing happened");
    // The room's gauges as they are, zero rates and zero drops; the process's rss varies.
    String expected =
        "stats: 2 users, 3 connections, 0.0 messages/s, 0.0 deliveries/s, 100 bytes queued,"
            + " drops (too slow 0, ping timeout 0, sign-in timeout 0), rss ";
    assertTrue(line.startsWith(expected), line);
    assertTrue(line.matches(".*, rss (\\d+ MiB|unknown)"), line);
  }

  @Test
  void closeReasonsCountUnderAFixedSetOfLabelsWhateverTheirDetail() {
    stats.countClose("TLS handshake failed: The client supported protocol versions [TLSv1.1] ...");
    stats.countClose("TLS handshake failed: Connection reset");
    stats.countClose("HTTP request failed: Broken pipe");
    stats.countClose("quit");
    stats.countClose("something a client chose");
    stats.countClose(null);
    PrometheusText out = new PrometheusText();
    stats.writeMetrics(out, room);
    String text = out.toString();
    assertTrue(
        text.contains("parley_disconnects_total{reason=\"TLS handshake failed\"} 2\n"), text);
    assertTrue(text.contains("parley_disconnects_total{reason=\"HTTP request failed\"} 1\n"), text);
    assertTrue(text.contains("parley_disconnects_total{reason=\"quit\"} 1\n"), text);
    assertTrue(text.contains("parley_disconnects_total{reason=\"other\"} 2\n"), text);
    assertEquals(
        7, // these four and the three drops, always shown
        text.lines().filter(line -> line.startsWith("parley_disconnects_total{")).count(),
        text);
  }

  @Test
  void theScrapeHasCountsSinceStartWithEveryDropReasonAndOnlyThePasswordRefusals() {
    stats.countClose("too slow");
    stats.signInRefused(ErrorCode.WRONG_PASSWORD);
    stats.signInRefused(ErrorCode.TOO_MANY_ATTEMPTS);
    stats.signInRefused(ErrorCode.TOO_MANY_ATTEMPTS);
    stats.signInRefused(ErrorCode.NAME_TAKEN); // not a password refusal
    PrometheusText out = new PrometheusText();
    stats.writeMetrics(out, room);
    String text = out.toString();
    assertTrue(text.contains("parley_disconnects_total{reason=\"too slow\"} 1\n"), text);
    assertTrue(text.contains("parley_disconnects_total{reason=\"sign-in timeout\"} 0\n"), text);
    assertTrue(text.contains("parley_sign_in_failures_total 1\n"), text);
    assertTrue(text.contains("parley_sign_in_locks_total 2\n"), text);
    assertTrue(text.contains("parley_users 2\n"), text);
  }
}
