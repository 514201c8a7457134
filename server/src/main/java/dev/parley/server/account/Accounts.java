package dev.parley.server.account;

import dev.parley.protocol.Names;
import dev.parley.server.store.StoreWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The password accounts as the loop sees them: every account in memory, passwords checked on the
 * hasher's pool through a bounded, fair queue ({@link PasswordChecks}), new accounts written
 * through the store's writer. Every callback runs on the loop. Loop thread only.
 */
public final class Accounts implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);

  /** What became of a password that was checked. */
  public enum Outcome {
    /** the password of an existing account matched */
    RIGHT,
    WRONG,
    /** a new account was made with it */
    CREATED,
    /** someone registered the same name while this password was being hashed */
    TAKEN,
    /** the store could not write the new account */
    FAILED,
    /** the name or address was locked while the check waited; no password was checked */
    LOCKED
  }

  private final Map<String, Account> byKey = new HashMap<>();
  private final PasswordHasher hasher;
  private final PasswordChecks checks;
  private final StoreWriter writer;

  /**
   * @param maxWaitingChecks password checks that may wait for the hasher in all
   * @param maxWaitingChecksPerAddress and from one address
   */
  public Accounts(
      Collection<Account> loaded,
      PasswordHasher hasher,
      SignInThrottle throttle,
      StoreWriter writer,
      Executor loop,
      int maxWaitingChecks,
      int maxWaitingChecksPerAddress) {
    List<String> reserved = new ArrayList<>();
    for (Account a : loaded) {
      byKey.put(Names.key(a.name()), a);
      if (!Names.isValid(a.name())) {
        reserved.add(a.name());
      }
    }
    if (!reserved.isEmpty()) {
      // Words became keywords after these accounts were made (JOIN, PART, ROOMS, TOPIC with the
      // rooms of protocol section 12): their owners cannot sign in under them any more.
      LOG.warn(
          "{} account(s) have a name that is now a protocol keyword and cannot sign in: {}",
          reserved.size(),
          String.join(", ", reserved));
    }
    this.hasher = hasher;
    this.checks =
        new PasswordChecks(
            throttle, loop, hasher.threads(), maxWaitingChecks, maxWaitingChecksPerAddress);
    this.writer = writer;
  }

  /** The account registered under {@code name} in any case, or null. */
  public Account find(String name) {
    return byKey.get(Names.key(name));
  }

  /**
   * Why sign-ins for this name from this address are refused for guessing right now ({@code LOCKED}
   * or {@code SERVER_LIMITED}), or null.
   */
  public PasswordChecks.Refusal lockout(String name, String address) {
    PasswordChecks.Refusal refusal = refusal(name, address);
    return refusal == PasswordChecks.Refusal.LOCKED
            || refusal == PasswordChecks.Refusal.SERVER_LIMITED
        ? refusal
        : null;
  }

  /** Why a password for {@code name} from {@code address} would not be checked now, or null. */
  public PasswordChecks.Refusal refusal(String name, String address) {
    return checks.refusal(Names.key(name), address);
  }

  /**
   * Checks a password for an existing account, in its turn; {@code done} gets RIGHT, WRONG or
   * LOCKED on the loop, unless the returned check was cancelled first. Ask {@link #refusal} first.
   *
   * @param gone whether the asking connection has gone; then the check is dropped unmade
   */
  public PasswordChecks.Check<Boolean> verify(
      Account account,
      String password,
      String address,
      BooleanSupplier gone,
      Consumer<Outcome> done) {
    return checks.submit(
        address,
        Names.key(account.name()),
        true,
        gone,
        onPool -> hasher.verify(account, password, onPool),
        new PasswordChecks.Listener<>() {
          @Override
          public void decided(Boolean matches) {
            done.accept(matches ? Outcome.RIGHT : Outcome.WRONG);
          }

          @Override
          public void refused(PasswordChecks.Refusal why) {
            done.accept(Outcome.LOCKED);
          }
        });
  }

  /**
   * Hashes the password for a new account in its turn, then stores the account; {@code done} learns
   * on the loop whether it now exists (CREATED, TAKEN, FAILED) or LOCKED. The name is taken in
   * memory before the write, so a second registration of the same name that finishes hashing later
   * gets TAKEN. An account whose connection has gone by the time its hash is ready is not stored.
   */
  public PasswordChecks.Check<Account> register(
      String name, String password, String address, BooleanSupplier gone, Consumer<Outcome> done) {
    return checks.submit(
        address,
        Names.key(name),
        false,
        gone,
        onPool -> hasher.create(name, password, onPool),
        new PasswordChecks.Listener<>() {
          @Override
          public void decided(Account account) {
            if (!gone.getAsBoolean()) {
              store(account, done);
            }
          }

          @Override
          public void refused(PasswordChecks.Refusal why) {
            done.accept(Outcome.LOCKED);
          }
        });
  }

  private void store(Account account, Consumer<Outcome> done) {
    String key = Names.key(account.name());
    if (byKey.putIfAbsent(key, account) != null) {
      done.accept(Outcome.TAKEN);
      return;
    }
    writer.run(
        store -> {
          store.createAccount(account);
          return account;
        },
        (stored, failure) -> {
          if (failure != null) {
            byKey.remove(key, account);
            LOG.error("{}; its user was answered C RETRY 500", failure.getMessage());
            done.accept(Outcome.FAILED);
          } else {
            done.accept(Outcome.CREATED);
          }
        });
  }

  @Override
  public void close() {
    hasher.close();
  }
}
