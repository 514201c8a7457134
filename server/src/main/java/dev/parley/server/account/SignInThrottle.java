package dev.parley.server.account;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows password guessing: after {@value #MAX_FAILURES} wrong passwords for one name, or from one
 * address, within {@link #WINDOW_NANOS}, that name or address is locked for {@link #LOCKOUT_NANOS},
 * during which attempts are refused without checking any password. A guess still being checked
 * counts as a failure until it is decided ({@link #mayGuess}), so that no more than {@value
 * #MAX_FAILURES} wrong passwords are ever checked per window, however many arrive at once.
 *
 * <p>An address is what {@link #addressKey} makes of it: an IPv4 address, or an IPv6 address's /64
 * (one host is commonly given a whole /64, so its full addresses are as many as it likes).
 *
 * <p>A spray, one guess per name from many addresses, meets none of these locks; the server-wide
 * bound does: once {@code maxFailuresPerWindow} wrong passwords (decided or being checked) fall
 * within {@link #WINDOW_NANOS}, password sign-ins are refused ({@link #isServerLimited}) except for
 * a name that signed in with its password from that address before (the last {@value #MAX_REGULARS}
 * such pairs are remembered). The price: an attacker can make everyone else wait; the regulars'
 * exception keeps a class or team in meanwhile.
 *
 * <p>Loop thread only; time comes from an injected nanosecond clock so tests need not wait.
 */
public final class SignInThrottle {
  public static final int MAX_FAILURES = 5;
  public static final long WINDOW_NANOS = 60_000_000_000L;
  public static final long LOCKOUT_NANOS = 30_000_000_000L;
  private static final int PRUNE_ABOVE_ENTRIES = 10_000;

  /** Name and address pairs remembered as having signed in; the oldest used is forgotten first. */
  static final int MAX_REGULARS = 10_000;

  private static final class Record {
    final ArrayDeque<Long> failures = new ArrayDeque<>(); // times of recent failures, oldest first
    long lockedUntil; // nanos; meaningful only when locked
    boolean locked;
    int undecided; // guesses being checked now
  }

  private final LongSupplier nanoClock;
  private final Map<String, Record> records = new HashMap<>();
  private final int maxServerFailures; // per window, whatever the name or address; 0: no bound
  private final ArrayDeque<Long> serverFailures = new ArrayDeque<>(); // times, oldest first
  private int serverUndecided; // guesses being checked now, any name and address
  private final Map<String, Boolean> regulars =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MAX_REGULARS;
        }
      };

  /** A throttle per name and address only, with no server-wide bound. */
  public SignInThrottle(LongSupplier nanoClock) {
    this(nanoClock, 0);
  }

  /**
   * @param maxFailuresPerWindow wrong passwords within {@link #WINDOW_NANOS}, all names and
   *     addresses together, beyond which only regulars may sign in with a password; 0 for none
   */
  public SignInThrottle(LongSupplier nanoClock, int maxFailuresPerWindow) {
    if (maxFailuresPerWindow < 0) {
      throw new IllegalArgumentException("the server-wide bound must not be negative");
    }
    this.nanoClock = nanoClock;
    this.maxServerFailures = maxFailuresPerWindow;
  }

  /**
   * The key an address is throttled under: an IPv4 address as it is written, an IPv6 address as its
   * /64 network ({@code 2001:db8:0:1::/64}).
   */
  public static String addressKey(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] bytes = address.getAddress();
    StringBuilder key = new StringBuilder();
    for (int group = 0; group < 4; group++) {
      int value = ((bytes[2 * group] & 0xff) << 8) | (bytes[2 * group + 1] & 0xff);
      key.append(Integer.toHexString(value)).append(':');
    }
    return key.append(":/64").toString();
  }

  /**
   * True when the server-wide bound is reached and {@code nameKey} has not signed in from {@code
   * address} before: its password is not checked now.
   */
  public boolean isServerLimited(String nameKey, String address) {
    if (maxServerFailures == 0 || regulars.containsKey(regular(nameKey, address))) {
      return false;
    }
    return recentServerFailures(nanoClock.getAsLong()) >= maxServerFailures;
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
        && allowsOneMore(records.get("a:" + address), now)
        && (maxServerFailures == 0
            || regulars.containsKey(regular(nameKey, address))
            || recentServerFailures(now) + serverUndecided < maxServerFailures);
  }

  /** A guess is being checked; it counts as a failure until {@link #guessDecided}. */
  public void guessStarted(String nameKey, String address) {
    records.computeIfAbsent("n:" + nameKey, k -> new Record()).undecided++;
    records.computeIfAbsent("a:" + address, k -> new Record()).undecided++;
    serverUndecided++;
  }

  /**
   * A guess begun with {@link #guessStarted} is decided: right (the name is remembered as a regular
   * of this address), or {@code wrong}.
   */
  public void guessDecided(String nameKey, String address, boolean wrong) {
    records.get("n:" + nameKey).undecided--;
    records.get("a:" + address).undecided--;
    serverUndecided--;
    if (wrong) {
      recordFailure(nameKey, address);
    } else {
      regulars.put(regular(nameKey, address), Boolean.TRUE);
    }
  }

  private static String regular(String nameKey, String address) {
    return nameKey + " " + address; // a name key has no space
  }

  /** Wrong passwords within the window before {@code now}, all names and addresses. */
  private int recentServerFailures(long now) {
    while (!serverFailures.isEmpty() && now - serverFailures.peekFirst() > WINDOW_NANOS) {
      serverFailures.pollFirst();
    }
    return serverFailures.size();
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
    if (maxServerFailures > 0) {
      recentServerFailures(now);
      serverFailures.addLast(now);
      if (serverFailures.size() > maxServerFailures) {
        serverFailures.pollFirst(); // the bound is reached either way: keep no more than it
      }
    }
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
