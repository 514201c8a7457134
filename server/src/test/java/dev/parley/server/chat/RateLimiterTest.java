package dev.parley.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The token bucket, driven by times the test passes in. */
class RateLimiterTest {
  private static final long T0 = 5_000_000_000L;
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  /** Takes tokens at {@code now} while there are any; returns how many. */
  private static int drain(RateLimiter rate, long now) {
    int taken = 0;
    while (rate.hasToken(now)) {
      rate.take(now);
      taken++;
    }
    return taken;
  }

  @Test
  void aFullBucketAllowsTheBurstAtOnceAndThenNothing() {
    RateLimiter rate = new RateLimiter(20, 100, T0);

    assertEquals(100, drain(rate, T0));
    assertFalse(rate.hasToken(T0));
  }

  @Test
  void afterTheBurstLinesComeAtTheRate() {
    RateLimiter rate = new RateLimiter(20, 100, T0); // one token every 50 ms
    drain(rate, T0);

    assertFalse(rate.hasToken(T0 + 49 * MS));
    assertTrue(rate.hasToken(T0 + 50 * MS));
    rate.take(T0 + 50 * MS);
    assertFalse(rate.hasToken(T0 + 99 * MS));
    assertEquals(1, drain(rate, T0 + 100 * MS));
    assertEquals(20, drain(rate, T0 + 1100 * MS), "one second later: 20 more");
  }

  @Test
  void nanosUntilTokenSaysWhenTheNextLineMayBeTaken() {
    RateLimiter rate = new RateLimiter(20, 5, T0);
    assertEquals(0, rate.nanosUntilToken(T0));
    drain(rate, T0);

    assertEquals(50 * MS, rate.nanosUntilToken(T0));
    assertEquals(30 * MS, rate.nanosUntilToken(T0 + 20 * MS));
    long wait = rate.nanosUntilToken(T0 + 20 * MS);
    assertTrue(rate.hasToken(T0 + 20 * MS + wait), "a token is there after the wait");
    assertEquals(0, rate.nanosUntilToken(T0 + 50 * MS));
  }

  @Test
  void theWaitNanosUntilTokenGivesIsAlwaysEnough() {
    for (double perSecond : new double[] {0.5, 1, 3, 7, 20, 33, 100, 1000, 12345}) {
      for (int burst : new int[] {1, 5, 100}) {
        long now = T0;
        RateLimiter rate = new RateLimiter(perSecond, burst, now);
        for (int i = 0; i < 100; i++) {
          drain(rate, now);
          long wait = rate.nanosUntilToken(now);
          assertTrue(wait > 0);
          now += wait;
          assertTrue(rate.hasToken(now), perSecond + "/s burst " + burst + " wait " + i);
        }
      }
    }
  }

  @Test
  void anIdleBucketRefillsOnlyUpToTheBurst() {
    RateLimiter rate = new RateLimiter(20, 10, T0);
    drain(rate, T0);

    assertEquals(10, drain(rate, T0 + TimeUnit.HOURS.toNanos(1)));
  }

  @Test
  void aClockThatSeemsToGoBackwardsAddsNoTokens() {
    RateLimiter rate = new RateLimiter(20, 2, T0);
    drain(rate, T0);

    assertFalse(rate.hasToken(T0 - TimeUnit.SECONDS.toNanos(10)));
    assertFalse(rate.hasToken(T0 + 49 * MS), "and the earlier time does not count later either");
    assertTrue(rate.hasToken(T0 + 50 * MS));
  }

  @Test
  void fractionalRatesWork() {
    RateLimiter rate = new RateLimiter(0.5, 1, T0); // one line every two seconds
    drain(rate, T0);

    assertEquals(TimeUnit.SECONDS.toNanos(2), rate.nanosUntilToken(T0));
    assertFalse(rate.hasToken(T0 + TimeUnit.MILLISECONDS.toNanos(1999)));
    assertTrue(rate.hasToken(T0 + TimeUnit.SECONDS.toNanos(2)));
  }

  @Test
  void timesAcrossTheWrapOfNanoTimeStillWork() {
    long start = Long.MAX_VALUE - 5 * MS;
    RateLimiter rate = new RateLimiter(100, 1, start); // one every 10 ms
    drain(rate, start);

    // nanoTime values may wrap around; only their differences mean anything.
    assertFalse(rate.hasToken(start + 9 * MS));
    assertTrue(rate.hasToken(start + 11 * MS));
  }

  @Test
  void aRateOrBurstBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, 10, T0));
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(-1, 10, T0));
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(10, 0, T0));
  }
}
