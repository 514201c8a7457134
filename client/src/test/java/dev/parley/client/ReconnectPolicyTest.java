package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.ReconnectPolicy.AfterClose;
import dev.parley.client.ReconnectPolicy.Silence;
import dev.parley.client.ReconnectPolicy.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final long HALF = LIMIT.toNanos() / 2;
  private static final Duration STEADY = Main.STEADY_AFTER;

  /** A person at a terminal, or a script with --reconnect (Main turns it on for a person). */
  private ReconnectPolicy reconnecting() {
    return policy(true);
  }

  /** A script without --reconnect. */
  private ReconnectPolicy notReconnecting() {
    return policy(false);
  }

  private long now; // the policy's clock, in nanoseconds

  private ReconnectPolicy policy(boolean reconnect) {
    return new ReconnectPolicy(
        reconnect,
        LIMIT,
        STEADY,
        new Backoff(Duration.ofSeconds(1), ReconnectPolicy.MAX_RETRY, () -> 0.5),
        () -> now);
  }

  @Test
  void aConnectionLostWhileSignedInIsReconnectedWhenReconnectingAndEndsAScriptOtherwise() {
    assertEquals(AfterClose.RECONNECT, reconnecting().afterClose(Stage.READY));
    assertEquals(AfterClose.EXIT_LOST, notReconnecting().afterClose(Stage.READY));
  }

  @Test
  void aCloseWhileLeavingIsTheEndEitherWay() {
    assertEquals(AfterClose.EXIT, reconnecting().afterClose(Stage.LEAVING));
    assertEquals(AfterClose.EXIT, notReconnecting().afterClose(Stage.LEAVING));
  }

  @Test
  void aFailedReconnectIsTriedAgain() {
    ReconnectPolicy policy = reconnecting();
    policy.signedIn();
    assertEquals(AfterClose.TRY_AGAIN, policy.afterClose(Stage.AWAY));
  }

  @Test
  void aCloseDuringTheFirstSignInIsAFailedSignInEvenWhenReconnecting() {
    assertEquals(AfterClose.SIGN_IN_FAILED, reconnecting().afterClose(Stage.SIGNING_IN));
    assertEquals(AfterClose.SIGN_IN_FAILED, notReconnecting().afterClose(Stage.SIGNING_IN));
  }

  @Test
  void aCloseDuringASignInAfterAReconnectIsReconnectedAgain() {
    ReconnectPolicy policy = reconnecting();
    policy.signedIn();
    assertEquals(AfterClose.RECONNECT, policy.afterClose(Stage.SIGNING_IN));
  }

  @Test
  void theWaitsGrowAcrossSignInsThatAreLostAtOnce() {
    ReconnectPolicy policy = reconnecting();
    List<Duration> waits = new ArrayList<>();
    // A server that signs in and drops the connection a second later, five times over.
    for (int i = 0; i < 5; i++) {
      policy.signedIn();
      now += Duration.ofSeconds(1).toNanos();
      assertEquals(AfterClose.RECONNECT, policy.afterClose(Stage.READY));
      Duration wait = policy.nextWait();
      waits.add(wait);
      now += wait.toNanos();
    }
    for (int i = 1; i < waits.size(); i++) {
      assertTrue(waits.get(i).compareTo(waits.get(i - 1)) > 0, waits.toString());
    }
  }

  @Test
  void aConnectionThatHeldStartsTheWaitsAgain() {
    ReconnectPolicy policy = reconnecting();
    Duration first = policy.nextWait();
    Duration second = policy.nextWait();
    assertTrue(second.compareTo(first) > 0, first + " then " + second);
    policy.signedIn();
    now += STEADY.toNanos() - 1;
    policy.afterClose(Stage.READY);
    assertTrue(policy.nextWait().compareTo(second) > 0, "held just short of steady");
    policy.signedIn();
    now += STEADY.toNanos();
    policy.afterClose(Stage.READY);
    assertEquals(first, policy.nextWait());
  }

  @Test
  void silenceIsPingedOnceAtHalfTheLimitAndLostAtTheWholeWhenReconnecting() {
    ReconnectPolicy policy = reconnecting();
    assertEquals(Silence.FINE, policy.check(HALF - 1));
    assertEquals(Silence.PING, policy.check(HALF));
    assertEquals(Silence.FINE, policy.check(HALF + 1), "pinged once per silence");
    assertEquals(Silence.LOST, policy.check(LIMIT.toNanos()));
    assertFalse(policy.heard(), "nothing was reported");
    assertEquals(Silence.PING, policy.check(HALF), "a new silence is pinged again");
  }

  @Test
  void silenceIsReportedOnceToAScriptThatDoesNotReconnectAndTheAnswerIsAnnounced() {
    ReconnectPolicy policy = notReconnecting();
    assertEquals(Silence.PING, policy.check(HALF));
    assertEquals(Silence.REPORT, policy.check(LIMIT.toNanos()));
    assertEquals(Silence.FINE, policy.check(2 * LIMIT.toNanos()));
    assertTrue(policy.heard(), "the person was told; now told it is back");
    assertFalse(policy.heard());
  }
}
