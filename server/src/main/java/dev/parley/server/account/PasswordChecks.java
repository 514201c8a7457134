package dev.parley.server.account;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The password checks waiting for the hashing pool, and those on it. Loop thread only.
 *
 * <ul>
 *   <li>Bounded: at most {@code maxWaitingPerAddress} checks wait per address and {@code
 *       maxWaiting} in all; one more is refused at once ({@link Refusal#ADDRESS_BUSY}, {@link
 *       Refusal#SERVER_BUSY}), so a flood of sign-ins costs neither memory nor hours of hashing.
 *   <li>Fair: checks are started in turn across addresses, one address at a time, so an address
 *       that floods waits behind its own checks, not others behind it.
 *   <li>Throttled when started, not when asked: a guess (a password for an existing account) starts
 *       only while the {@link SignInThrottle} allows one more undecided guess for its name and
 *       address, so guesses sent in parallel meet the lock like guesses sent one after another.
 *       Guesses waiting when the lock falls are refused ({@link Refusal#LOCKED}) unchecked.
 *   <li>Abandoned when their connection has gone: a waiting check whose connection is gone, or that
 *       was {@link Check#cancel() cancelled}, never runs; one cancelled while running is not
 *       reported.
 * </ul>
 *
 * The pool is handed at most {@code maxRunning} checks at a time (its thread count), so that every
 * waiting check waits here, where it can be dropped, rather than in the pool's own queue.
 */
public final class PasswordChecks {
  /** Why a check was not made. */
  public enum Refusal {
    /** the name or the address is locked after too many wrong passwords */
    LOCKED,
    /** too many wrong passwords on the whole server just now, and this is no regular */
    SERVER_LIMITED,
    /** too many checks from this address are waiting already */
    ADDRESS_BUSY,
    /** too many checks are waiting in all */
    SERVER_BUSY
  }

  /** What became of a check, told on the loop; never called for a cancelled check. */
  public interface Listener<T> {
    void decided(T result);

    void refused(Refusal why);
  }

  /** The hashing itself: starts on the pool and calls back there with its result. */
  public interface Work<T> {
    void start(Consumer<T> onPool);
  }

  /** One check, waiting or running. */
  public static final class Check<T> {
    private final String address;
    private final String nameKey;
    private final boolean guess; // true: T is Boolean, whether the password matched
    private final BooleanSupplier gone;
    private final Work<T> work;
    private final Listener<T> listener;
    private PasswordChecks owner; // null once the check is over or cancelled
    private boolean running;

    private Check(
        String address,
        String nameKey,
        boolean guess,
        BooleanSupplier gone,
        Work<T> work,
        Listener<T> listener) {
      this.address = address;
      this.nameKey = nameKey;
      this.guess = guess;
      this.gone = gone;
      this.work = work;
      this.listener = listener;
    }

    /** Its connection has closed: a waiting check is dropped, a running one not reported. */
    public void cancel() {
      PasswordChecks checks = owner;
      owner = null;
      if (checks != null && !running) {
        checks.forget(this);
      }
    }

    /** True while the check may still be reported: neither over nor cancelled. */
    public boolean isLive() {
      return owner != null;
    }

    private void start(PasswordChecks checks) {
      running = true;
      work.start(result -> checks.loop.execute(() -> checks.finished(this, result)));
    }
  }

  private final SignInThrottle throttle;
  private final Executor loop;
  private final int maxRunning;
  private final int maxWaiting;
  private final int maxWaitingPerAddress;
  private final Map<String, ArrayDeque<Check<?>>> waitingByAddress = new HashMap<>();
  private final ArrayDeque<String> turns = new ArrayDeque<>(); // addresses with waiting checks
  private int waiting;
  private int running;
  private boolean pumpQueued;

  /**
   * @param loop runs the pool's answers, and starting checks, on the loop
   * @param maxRunning checks handed to the pool at once: its thread count
   */
  public PasswordChecks(
      SignInThrottle throttle,
      Executor loop,
      int maxRunning,
      int maxWaiting,
      int maxWaitingPerAddress) {
    if (maxRunning < 1 || maxWaiting < 1 || maxWaitingPerAddress < 1) {
      throw new IllegalArgumentException("password check bounds must be at least 1");
    }
    this.throttle = throttle;
    this.loop = loop;
    this.maxRunning = maxRunning;
    this.maxWaiting = maxWaiting;
    this.maxWaitingPerAddress = maxWaitingPerAddress;
  }

  /** Why a check for this name from this address would be refused right now, or null. */
  public Refusal refusal(String nameKey, String address) {
    if (throttle.isLocked(nameKey, address)) {
      return Refusal.LOCKED;
    }
    if (throttle.isServerLimited(nameKey, address)) {
      return Refusal.SERVER_LIMITED;
    }
    ArrayDeque<Check<?>> queue = waitingByAddress.get(address);
    if (queue != null && queue.size() >= maxWaitingPerAddress) {
      return Refusal.ADDRESS_BUSY;
    }
    return waiting >= maxWaiting ? Refusal.SERVER_BUSY : null;
  }

  /**
   * Queues a check; the caller asked {@link #refusal} first and got null.
   *
   * @param guess whether this checks a password against an existing account (then {@code T} is
   *     Boolean: whether it matched), as opposed to making a new account
   * @param gone whether the connection asking has gone; asked before the check starts
   */
  public <T> Check<T> submit(
      String address,
      String nameKey,
      boolean guess,
      BooleanSupplier gone,
      Work<T> work,
      Listener<T> listener) {
    if (refusal(nameKey, address) != null) {
      throw new IllegalStateException("submit after a refusal");
    }
    Check<T> check = new Check<>(address, nameKey, guess, gone, work, listener);
    check.owner = this;
    ArrayDeque<Check<?>> queue = waitingByAddress.get(address);
    if (queue == null) {
      queue = new ArrayDeque<>();
      waitingByAddress.put(address, queue);
      turns.addLast(address);
    }
    queue.addLast(check);
    waiting++;
    pumpLater();
    return check;
  }

  /** Checks waiting to start. */
  public int waiting() {
    return waiting;
  }

  /** Checks on the pool now. */
  public int running() {
    return running;
  }

  /**
   * Starting is never done inside the caller's step: a check's connection is probed before it
   * starts, and that must not happen while the same connection's input is being decoded.
   */
  private void pumpLater() {
    if (!pumpQueued) {
      pumpQueued = true;
      loop.execute(this::pump);
    }
  }

  private void pump() {
    pumpQueued = false;
    int blocked = 0; // addresses in a row whose first check may not start yet
    while (running < maxRunning && !turns.isEmpty() && blocked < turns.size()) {
      String address = turns.pollFirst();
      ArrayDeque<Check<?>> queue = waitingByAddress.get(address);
      Check<?> head = queue.peekFirst();
      Refusal locked =
          throttle.isLocked(head.nameKey, address)
              ? Refusal.LOCKED
              : throttle.isServerLimited(head.nameKey, address) ? Refusal.SERVER_LIMITED : null;
      if (locked != null) {
        take(address, queue);
        head.owner = null;
        head.listener.refused(locked);
        blocked = 0;
        continue;
      }
      if (head.guess && !throttle.mayGuess(head.nameKey, address)) {
        // Undecided guesses for this name or address fill its allowance: wait for them.
        turns.addLast(address);
        blocked++;
        continue;
      }
      take(address, queue);
      blocked = 0;
      if (head.gone.getAsBoolean()) {
        head.owner = null; // abandoned: no hashing, no answer
        continue;
      }
      running++;
      if (head.guess) {
        throttle.guessStarted(head.nameKey, address);
      }
      head.start(this);
    }
  }

  /** Removes the first check of {@code address}; its turn goes to the back if more wait. */
  private void take(String address, ArrayDeque<Check<?>> queue) {
    queue.pollFirst();
    waiting--;
    if (queue.isEmpty()) {
      waitingByAddress.remove(address);
    } else {
      turns.addLast(address);
    }
  }

  private void forget(Check<?> check) {
    ArrayDeque<Check<?>> queue = waitingByAddress.get(check.address);
    if (queue != null && queue.remove(check)) {
      waiting--;
      if (queue.isEmpty()) {
        waitingByAddress.remove(check.address);
        turns.remove(check.address);
      }
    }
  }

  private <T> void finished(Check<T> check, T result) {
    running--;
    if (check.guess) {
      // Counted even when the guesser has gone: hanging up must not take a wrong guess back.
      throttle.guessDecided(check.nameKey, check.address, !Boolean.TRUE.equals(result));
    }
    if (check.owner != null) {
      check.owner = null;
      check.listener.decided(result);
    }
    pump();
  }
}
