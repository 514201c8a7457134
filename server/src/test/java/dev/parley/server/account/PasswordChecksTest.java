package dev.parley.server.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.ServerConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The password check queue without threads: the "pool" is a list of started checks that the test
 * completes by hand, the loop runs tasks at once, and addresses are plain strings, so that several
 * addresses can be tried although end-to-end tests connect from 127.0.0.1 only.
 */
class PasswordChecksTest {
  private static final String FLOOD = "192.0.2.1";
  private static final String USER = "198.51.100.7";
  private static final String OTHER = "203.0.113.9";

  private long now = 1_000_000_000_000L;
  private final SignInThrottle throttle = new SignInThrottle(() -> now);
  private final ArrayDeque<Runnable> loopTasks = new ArrayDeque<>();
  private final List<Started> pool = new ArrayList<>(); // checks handed to the pool, in order
  private final List<String> outcomes = new ArrayList<>(); // "label: result", in order told

  /** A check the pool is working on; {@link #finish} completes it. */
  private record Started(String label, Consumer<Object> onPool) {}

  private PasswordChecks checks(int maxRunning, int maxWaiting, int perAddress) {
    return new PasswordChecks(throttle, loopTasks::add, maxRunning, maxWaiting, perAddress);
  }

  private void runLoop() {
    Runnable task;
    while ((task = loopTasks.poll()) != null) {
      task.run();
    }
  }

  @SuppressWarnings("unchecked")
  private <T> PasswordChecks.Check<T> submit(
      PasswordChecks checks, String label, String address, String name, boolean guess) {
    assertNull(checks.refusal(name, address), label);
    return checks.submit(
        address,
        name,
        guess,
        () -> false,
        onPool -> pool.add(new Started(label, r -> onPool.accept((T) r))),
        listener(label));
  }

  private <T> PasswordChecks.Listener<T> listener(String label) {
    return new PasswordChecks.Listener<>() {
      @Override
      public void decided(T result) {
        outcomes.add(label + ": " + result);
      }

      @Override
      public void refused(PasswordChecks.Refusal why) {
        outcomes.add(label + ": " + why);
      }
    };
  }

  /** Completes the oldest started check with {@code result}, as the pool would. */
  private String finish(Object result) {
    Started s = pool.remove(0);
    s.onPool().accept(result);
    runLoop();
    return s.label();
  }

  private List<String> startedLabels() {
    List<String> labels = new ArrayList<>();
    for (Started s : pool) {
      labels.add(s.label());
    }
    return labels;
  }

  @Test
  void oneAddressFloodingDoesNotMakeAnotherWaitBehindIt() {
    PasswordChecks checks = checks(1, 100, 50);
    for (int i = 0; i < 20; i++) {
      submit(checks, "flood" + i, FLOOD, "flood" + i, false);
    }
    submit(checks, "user", USER, "user", false);
    submit(checks, "other", OTHER, "other", false);
    runLoop();

    assertEquals(List.of("flood0"), startedLabels(), "one at a time: the pool's size");
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      order.add(finish("done"));
    }
    // After the flood's first check come the other addresses' first, not the flood's next 19.
    assertEquals(List.of("flood0", "user", "other", "flood1"), order);
    assertEquals(17, checks.waiting());
  }

  @Test
  void theDefaultBoundsLetAClassOfThirtyTwoSignInAtOnceFromOneAddress() {
    assertTrue(ServerConfig.DEFAULT_MAX_PASSWORD_CHECKS_PER_ADDRESS >= 32);
    assertTrue(ServerConfig.DEFAULT_MAX_PASSWORD_CHECKS >= 32);
  }

  @Test
  void checksBeyondTheBoundsAreRefusedAtOnceAndAClassOfThirtyTwoFits() {
    PasswordChecks checks = checks(1, 40, 32);
    for (int i = 0; i < 32; i++) {
      submit(checks, "pupil" + i, FLOOD, "pupil" + i, false);
    }
    assertEquals(PasswordChecks.Refusal.ADDRESS_BUSY, checks.refusal("late", FLOOD));
    for (int i = 0; i < 8; i++) {
      submit(checks, "user" + i, USER, "user" + i, false);
    }
    assertEquals(PasswordChecks.Refusal.SERVER_BUSY, checks.refusal("late", OTHER));

    runLoop(); // one starts, so one more may wait
    assertNull(checks.refusal("late", OTHER));
  }

  @Test
  void parallelGuessesCheckAtMostFiveWrongPasswordsAndTheRightOneAfterThemIsLocked() {
    PasswordChecks checks = checks(3, 100, 50); // several hashing threads: guesses overlap
    for (int i = 0; i < 29; i++) {
      submit(checks, "wrong" + i, "10.0.0." + i, "victim", true);
    }
    submit(checks, "right", "10.0.1.1", "victim", true);
    runLoop();

    int checked = 0;
    while (!pool.isEmpty()) {
      finish(false);
      checked++;
    }
    assertEquals(5, checked, "wrong passwords checked: " + outcomes);
    assertEquals("right: LOCKED", outcomes.get(outcomes.size() - 1));
    assertEquals(0, checks.waiting());
    assertEquals(0, checks.running());
  }

  @Test
  void aRightGuessFreesItsPlaceForTheNext() {
    PasswordChecks checks = checks(4, 100, 50);
    for (int i = 0; i < 8; i++) {
      submit(checks, "guess" + i, USER, "alice", true);
    }
    runLoop();
    assertEquals(4, pool.size());
    finish(true);
    assertEquals(4, pool.size(), "a decided right guess lets one more start");
    for (int i = 0; i < 4; i++) {
      finish(false);
    }
    // Four wrong and one more undecided would make five: only one may run now.
    assertEquals(1, pool.size());
  }

  @Test
  void aCheckWhoseConnectionWentOrWasCancelledNeverStartsAndIsNeverReported() {
    PasswordChecks checks = checks(1, 100, 50);
    submit(checks, "first", USER, "first", false);
    PasswordChecks.Check<Object> cancelled = submit(checks, "cancelled", USER, "cancelled", false);
    checks.submit(USER, "gone", false, () -> true, onPool -> pool.add(null), listener("gone"));
    submit(checks, "last", USER, "last", false);
    runLoop();
    cancelled.cancel();

    assertEquals("first", finish("ok"));
    assertEquals("last", finish("ok"));
    assertEquals(List.of("first: ok", "last: ok"), outcomes);
    assertTrue(pool.isEmpty());
    assertEquals(0, checks.waiting());
  }

  @Test
  void aCheckCancelledWhileRunningIsNotReportedButAWrongGuessStillCounts() {
    PasswordChecks checks = checks(1, 100, 50);
    List<PasswordChecks.Check<Object>> guesses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      guesses.add(submit(checks, "guess" + i, USER, "alice", true));
    }
    runLoop();
    for (int i = 0; i < 5; i++) {
      guesses.get(i).cancel(); // the guesser hangs up while its guess is on the pool
      finish(false);
    }
    assertEquals(List.of(), outcomes);
    assertEquals(PasswordChecks.Refusal.LOCKED, checks.refusal("alice", OTHER));
  }
}
