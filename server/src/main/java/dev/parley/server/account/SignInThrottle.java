package dev.parley.server.account;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows password guessing: after {@value #MAX_FAILURES} wrong passwords for one name, or from one
 * address, within {@link #WINDOW_NANOS}, that name or address is locked for {@link #LOCKOUT_NANOS},
 * during which attempts are refused without checking any password. A guess still being checked
 * counts as a failure until it is decided ({@link #mayGuess}), so that no more than {@value
 * #MAX_FAILURES} wrong passwords are ever checked per window, however many arrive at once. Loop
 * thread only; time comes from an injected nanosecond clock so tests need not wait.
 */
public final class SignInThrottle {
  public static final int MAX_FAILURES = 5;
  public static final long WINDOW_NANOS = 60_000_000_000L;
  public static final long LOCKOUT_NANOS = 30_000_000_000L;
  private static final int PRUNE_ABOVE_ENTRIES = 10_000;

  private static final class Record {
    final ArrayDeque<Long> failures = new ArrayDeque<>(); // times of recent failures, oldest first
    long lockedUntil; // nanos; meaningful only when locked
    boolean locked;
    int undecided; // guesses being checked now
  }

  private final LongSupplier nanoClock;
  private final Map<String, Record> records = new HashMap<>();

  public SignInThrottle(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** True when attempts for this name key or from this address are refused right now. */
  public boolean isLocked(String nameKey, String address) {
    long now = nanoClock.getAsLong();
    return isLocked(records.get("n:" + nameKey), now) || isLocked(records.get("a:" + address), now);
  }

  /**
   * True when one more guess for this name key from this address may be checked: neither is locked,
   * and for each the failures within the window plus the guesses still undecided are fewer than
   * {@value #MAX_FAILURES}.
   */
  public boolean mayGuess(String nameKey, String address) {
    long now = nanoClock.getAsLong();
    return allowsOneMore(records.get("n:" + nameKey), now)
        && allowsOneMore(records.get("a:" + address), now);
  }

  /** A guess is being checked; it counts as a failure until {@link #guessDecided}. */
  public void guessStarted(String nameKey, String address) {
    records.computeIfAbsent("n:" + nameKey, k -> new Record()).undecided++;
    records.computeIfAbsent("a:" + address, k -> new Record()).undecided++;
  }

  /** A guess begun with {@link #guessStarted} is decided: right, or {@code wrong}. */
  public void guessDecided(String nameKey, String address, boolean wrong) {
    records.get("n:" + nameKey).undecided--;
    records.get("a:" + address).undecided--;
    if (wrong) {
      recordFailure(nameKey, address);
    }
  }

  private static boolean allowsOneMore(Record r, long now) {
    if (r == null) {
      return true;
    }
    if (isLocked(r, now)) {
      return false;
    }
    int recent = 0;
    for (long at : r.failures) {
      if (now - at <= WINDOW_NANOS) {
        recent++;
      }
    }
    return recent + r.undecided < MAX_FAILURES;
  }

  /** Records a wrong password for this name key from this address. */
  public void recordFailure(String nameKey, String address) {
    long now = nanoClock.getAsLong();
    fail("n:" + nameKey, now);
    fail("a:" + address, now);
    if (records.size() > PRUNE_ABOVE_ENTRIES) {
      prune(now);
    }
  }

  int trackedEntries() {
    return records.size();
  }

  private void fail(String key, long now) {
    Record r = records.computeIfAbsent(key, k -> new Record());
    while (!r.failures.isEmpty() && now - r.failures.peekFirst() > WINDOW_NANOS) {
      r.failures.pollFirst();
    }
    r.failures.addLast(now);
    if (r.failures.size() >= MAX_FAILURES) {
      r.locked = true;
      r.lockedUntil = now + LOCKOUT_NANOS;
      r.failures.clear();
    }
  }

  private static boolean isLocked(Record r, long now) {
    return r != null && r.locked && now - r.lockedUntil < 0;
  }

  private void prune(long now) {
    for (Iterator<Record> it = records.values().iterator(); it.hasNext(); ) {
      Record r = it.next();
      boolean stale =
          r.undecided == 0
              && !isLocked(r, now)
              && (r.failures.isEmpty() || now - r.failures.peekLast() > WINDOW_NANOS);
      if (stale) {
        it.remove();
      }
    }
  }
}
