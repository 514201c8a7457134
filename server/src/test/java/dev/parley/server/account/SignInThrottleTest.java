package dev.parley.server.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sign-in throttle on a fake nanosecond clock that only the test moves. */
class SignInThrottleTest {
  private static final String HOME = "192.0.2.1";
  private static final String AWAY = "198.51.100.7";

  private long now = 1_000_000_000_000L; // an arbitrary nanoTime origin
  private final SignInThrottle throttle = new SignInThrottle(() -> now);

  private void advance(long amount, TimeUnit unit) {
    now += unit.toNanos(amount);
  }

  private void fail(String name, String address, int times) {
    for (int i = 0; i < times; i++) {
      throttle.recordFailure(name, address);
    }
  }

  @Test
  void theLimitsAreFiveFailuresInAMinuteAndAThirtySecondLock() {
    assertEquals(5, SignInThrottle.MAX_FAILURES);
    assertEquals(TimeUnit.SECONDS.toNanos(60), SignInThrottle.WINDOW_NANOS);
    assertEquals(TimeUnit.SECONDS.toNanos(30), SignInThrottle.LOCKOUT_NANOS);
  }

  @Test
  void fourFailuresDoNotLockAndTheFifthLocksTheNameAndTheAddress() {
    for (int i = 0; i < 4; i++) {
      throttle.recordFailure("alice", HOME);
      advance(10, TimeUnit.SECONDS);
      assertFalse(throttle.isLocked("alice", HOME), "after " + (i + 1) + " failures");
    }

    throttle.recordFailure("alice", HOME);

    assertTrue(throttle.isLocked("alice", HOME));
    assertTrue(throttle.isLocked("alice", AWAY), "the name, from anywhere");
    assertTrue(throttle.isLocked("bob", HOME), "the address, for any name");
    assertFalse(throttle.isLocked("bob", AWAY), "another name from another address");
  }

  @Test
  void aLockEndsAfterThirtySeconds() {
    fail("alice", HOME, 5);

    advance(30, TimeUnit.SECONDS);
    now -= 1;
    assertTrue(throttle.isLocked("alice", AWAY), "one nanosecond before the end");
    now += 1;
    assertFalse(throttle.isLocked("alice", AWAY));
    assertFalse(throttle.isLocked("bob", HOME));
  }

  @Test
  void failuresOlderThanTheMinuteDoNotCount() {
    fail("alice", HOME, 4);
    advance(60, TimeUnit.SECONDS);
    now += 1; // the four are now just outside the window

    throttle.recordFailure("alice", HOME);
    assertFalse(throttle.isLocked("alice", HOME));
    fail("alice", HOME, 3);
    assertFalse(throttle.isLocked("alice", HOME), "four in the window");
    throttle.recordFailure("alice", HOME);
    assertTrue(throttle.isLocked("alice", HOME), "five in the window");
  }

  @Test
  void failuresSpreadOverExactlyAMinuteStillCount() {
    fail("alice", HOME, 1);
    advance(15, TimeUnit.SECONDS);
    fail("alice", HOME, 1);
    advance(15, TimeUnit.SECONDS);
    fail("alice", HOME, 1);
    advance(15, TimeUnit.SECONDS);
    fail("alice", HOME, 1);
    advance(15, TimeUnit.SECONDS);
    fail("alice", HOME, 1);

    assertTrue(throttle.isLocked("alice", HOME));
  }

  @Test
  void theNameIsLockedByFailuresFromManyAddresses() {
    for (int i = 1; i <= 5; i++) {
      throttle.recordFailure("alice", "203.0.113." + i);
    }

    assertTrue(throttle.isLocked("alice", AWAY));
    assertFalse(throttle.isLocked("bob", "203.0.113.1"), "no address reached five");
  }

  @Test
  void theAddressIsLockedByFailuresForManyNames() {
    for (String name : new String[] {"a", "b", "c", "d", "e"}) {
      throttle.recordFailure(name, HOME);
    }

    assertTrue(throttle.isLocked("zed", HOME));
    assertFalse(throttle.isLocked("a", AWAY), "no name reached five");
  }

  @Test
  void afterALockEndsTheCountStartsAgain() {
    fail("alice", HOME, 5);
    advance(31, TimeUnit.SECONDS);

    fail("alice", HOME, 4);
    assertFalse(throttle.isLocked("alice", HOME), "the five before the lock are not counted");
    fail("alice", HOME, 1);
    assertTrue(throttle.isLocked("alice", HOME));
  }

  @Test
  void fewerThanFiveFailuresDuringALockDoNotExtendIt() {
    fail("alice", HOME, 5);
    advance(20, TimeUnit.SECONDS);
    fail("alice", HOME, 4);

    advance(10, TimeUnit.SECONDS);
    assertFalse(throttle.isLocked("alice", HOME), "the first lock is over");
  }

  @Test
  void staleEntriesAreForgottenSoMemoryStaysBounded() {
    for (int i = 0; i < 6_000; i++) {
      throttle.recordFailure("user" + i, "10.0." + (i / 256) + "." + (i % 256));
    }
    assertTrue(throttle.trackedEntries() >= 10_000);
    advance(61, TimeUnit.SECONDS);

    throttle.recordFailure("late", AWAY); // above the pruning threshold: prunes

    assertTrue(throttle.trackedEntries() <= 2, "tracked: " + throttle.trackedEntries());
    assertFalse(throttle.isLocked("user1", "10.0.0.1"));
  }

  @Test
  void lockedEntriesSurvivePruning() {
    fail("alice", HOME, 5);
    for (int i = 0; i < 6_000; i++) {
      throttle.recordFailure("user" + i, "10.0." + (i / 256) + "." + (i % 256));
    }
    advance(29, TimeUnit.SECONDS);
    throttle.recordFailure("late", AWAY);

    assertTrue(throttle.isLocked("alice", AWAY));
  }

  // ---- addresses ----

  @Test
  void anIpv4AddressIsItsOwnKeyAndAnIpv6AddressCountsByItsSlash64() throws Exception {
    assertEquals("192.0.2.1", SignInThrottle.addressKey(InetAddress.getByName("192.0.2.1")));
    String net = SignInThrottle.addressKey(InetAddress.getByName("2001:db8:0:1::1"));
    assertEquals("2001:db8:0:1::/64", net);
    assertEquals(
        net, SignInThrottle.addressKey(InetAddress.getByName("2001:db8::1:ffff:ffff:ffff:ffff")));
    assertEquals(
        "2001:db8:0:2::/64", SignInThrottle.addressKey(InetAddress.getByName("2001:db8:0:2::1")));
    assertEquals("0:0:0:0::/64", SignInThrottle.addressKey(InetAddress.getByName("::1")));
    assertEquals("192.0.2.1", SignInThrottle.addressKey(InetAddress.getByName("::ffff:192.0.2.1")));
  }

  @Test
  void guessesFromManyAddressesOfOneSlash64AreLockedAsOneAddress() throws Exception {
    for (int host = 1; host <= SignInThrottle.MAX_FAILURES; host++) {
      String address = SignInThrottle.addressKey(InetAddress.getByName("2001:db8:0:1::" + host));
      throttle.recordFailure("name" + host, address);
    }
    String sameNet = SignInThrottle.addressKey(InetAddress.getByName("2001:db8:0:1::99"));
    assertTrue(throttle.isLocked("someone", sameNet));
    String otherNet = SignInThrottle.addressKey(InetAddress.getByName("2001:db8:0:2::1"));
    assertFalse(throttle.isLocked("someone", otherNet));
  }

  // ---- the server-wide bound ----

  private final SignInThrottle bounded = new SignInThrottle(() -> now, 3);

  @Test
  void aSprayOfOneFailurePerNameAndAddressReachesTheServerWideBound() {
    bounded.recordFailure("n1", "192.0.2.1");
    bounded.recordFailure("n2", "192.0.2.2");
    assertFalse(bounded.isServerLimited("n4", "192.0.2.4"));
    assertTrue(bounded.mayGuess("n4", "192.0.2.4"));
    bounded.recordFailure("n3", "192.0.2.3");

    assertTrue(bounded.isServerLimited("n4", "192.0.2.4"));
    assertFalse(bounded.mayGuess("n4", "192.0.2.4"));
    assertFalse(bounded.isLocked("n4", "192.0.2.4"), "no name or address is locked");

    advance(60, TimeUnit.SECONDS);
    assertTrue(bounded.isServerLimited("n4", "192.0.2.4"), "the first failure is a minute old");
    now += 1;
    assertFalse(bounded.isServerLimited("n4", "192.0.2.4"));
  }

  @Test
  void guessesBeingCheckedCountTowardTheServerWideBound() {
    bounded.guessStarted("n1", "192.0.2.1");
    bounded.guessStarted("n2", "192.0.2.2");
    bounded.guessStarted("n3", "192.0.2.3");
    assertFalse(bounded.mayGuess("n4", "192.0.2.4"));
    bounded.guessDecided("n1", "192.0.2.1", false);
    assertTrue(bounded.mayGuess("n4", "192.0.2.4"));
  }

  @Test
  void aNameThatSignedInFromAnAddressBeforeIsExceptedThereOnly() {
    bounded.guessStarted("alice", "192.0.2.1");
    bounded.guessDecided("alice", "192.0.2.1", false);
    for (int i = 1; i <= 3; i++) {
      bounded.recordFailure("n" + i, "198.51.100." + i);
    }
    assertFalse(bounded.isServerLimited("alice", "192.0.2.1"));
    assertTrue(bounded.mayGuess("alice", "192.0.2.1"));
    assertTrue(bounded.isServerLimited("alice", "192.0.2.2"), "another address");
    assertTrue(bounded.isServerLimited("bob", "192.0.2.1"), "another name");
  }

  @Test
  void regularsAreBoundedAndTheLeastRecentlySeenGoesFirst() {
    for (int i = 0; i <= SignInThrottle.MAX_REGULARS; i++) {
      bounded.guessStarted("n" + i, "192.0.2.1");
      bounded.guessDecided("n" + i, "192.0.2.1", false);
    }
    for (int i = 1; i <= 3; i++) {
      bounded.recordFailure("x" + i, "198.51.100." + i);
    }
    assertTrue(bounded.isServerLimited("n0", "192.0.2.1"), "the first one was forgotten");
    assertFalse(bounded.isServerLimited("n1", "192.0.2.1"));
  }
}
