package dev.parley.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The deadlines' decisions on a clock moved by hand (the rate's pause is end-to-end tested). */
class TimeLimitsTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long IDLE = 60 * SECOND;
  private static final long SIGN_IN = 10 * SECOND;
  private static final long T0 = 5_000 * SECOND;

  private final TimeLimits limits = new TimeLimits(null, null, T0); // rate off: no connection used

  private TimeLimits.Due signingInAt(long now, long excused) {
    return limits.check(now, IDLE, SIGN_IN, false, excused);
  }

  private TimeLimits.Due signedInAt(long now) {
    return limits.check(now, IDLE, SIGN_IN, true, 0);
  }

  @Test
  void theSignInDeadlineCountsFromTheConnectionLessWhatIsExcused() {
    assertEquals(TimeLimits.Due.NOTHING, signingInAt(T0 + SIGN_IN - 1, 0));
    assertEquals(TimeLimits.Due.SIGN_IN_TIMEOUT, signingInAt(T0 + SIGN_IN, 0));
    assertEquals(TimeLimits.Due.NOTHING, signingInAt(T0 + SIGN_IN + 4 * SECOND, 5 * SECOND));
    assertEquals(
        TimeLimits.Due.SIGN_IN_TIMEOUT, signingInAt(T0 + SIGN_IN + 5 * SECOND, 5 * SECOND));
  }

  @Test
  void silenceIsPingedOnceThenDroppedAfterAsMuchAgain() {
    assertEquals(TimeLimits.Due.NOTHING, signedInAt(T0 + IDLE - 1));
    assertEquals(TimeLimits.Due.PING, signedInAt(T0 + IDLE));
    assertEquals(TimeLimits.Due.NOTHING, signedInAt(T0 + IDLE + 1), "one PING, not one a check");
    assertEquals(TimeLimits.Due.NOTHING, signedInAt(T0 + 2 * IDLE - 1));
    assertEquals(TimeLimits.Due.PING_TIMEOUT, signedInAt(T0 + 2 * IDLE));
  }

  @Test
  void anyLineAnswersThePingAndRestartsTheIdleTime() {
    assertEquals(TimeLimits.Due.PING, signedInAt(T0 + IDLE));
    limits.lineArrived(T0 + IDLE + SECOND);
    assertEquals(TimeLimits.Due.NOTHING, signedInAt(T0 + 2 * IDLE));
    assertEquals(TimeLimits.Due.PING, signedInAt(T0 + 2 * IDLE + SECOND));
  }

  @Test
  void noIdleRuleWhenItIsOff() {
    assertEquals(TimeLimits.Due.NOTHING, limits.check(T0 + 100 * IDLE, 0, SIGN_IN, true, 0));
  }
}
