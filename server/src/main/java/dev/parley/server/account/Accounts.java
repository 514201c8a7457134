package dev.parley.server.account;

import dev.parley.protocol.Names;
import dev.parley.server.history.HistoryWriter;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The password accounts as the loop sees them: every account in memory, hashing on the hasher's
 * pool, new accounts written through the store's writer. Every callback runs on the loop. Loop
 * thread only.
 */
public final class Accounts implements AutoCloseable {
  /** What became of a registration. */
  public enum Registration {
    CREATED,
    /** someone registered the same name while this password was being hashed */
    TAKEN,
    /** the store could not write the account */
    FAILED
  }

  private final Map<String, Account> byKey = new HashMap<>();
  private final PasswordHasher hasher;
  private final SignInThrottle throttle;
  private final HistoryWriter writer;
  private final Executor loop;

  public Accounts(
      Collection<Account> loaded,
      PasswordHasher hasher,
      SignInThrottle throttle,
      HistoryWriter writer,
      Executor loop) {
    for (Account a : loaded) {
      byKey.put(Names.key(a.name()), a);
    }
    this.hasher = hasher;
    this.throttle = throttle;
    this.writer = writer;
    this.loop = loop;
  }

  /** The account registered under {@code name} in any case, or null. */
  public Account find(String name) {
    return byKey.get(Names.key(name));
  }

  public boolean isLocked(String name, String address) {
    return throttle.isLocked(Names.key(name), address);
  }

  public void recordFailure(String name, String address) {
    throttle.recordFailure(Names.key(name), address);
  }

  /** Checks a password off the loop; {@code done} gets the answer on the loop. */
  public void verify(Account account, String password, Consumer<Boolean> done) {
    hasher.verify(account, password, ok -> loop.execute(() -> done.accept(ok)));
  }

  /**
   * Hashes the password off the loop, then stores the account; {@code done} learns on the loop
   * whether the account now exists. The name is taken in memory before the write, so a second
   * registration of the same name that finishes hashing later gets {@link Registration#TAKEN}.
   */
  public void register(String name, String password, Consumer<Registration> done) {
    hasher.create(name, password, account -> loop.execute(() -> store(account, done)));
  }

  private void store(Account account, Consumer<Registration> done) {
    String key = Names.key(account.name());
    if (byKey.putIfAbsent(key, account) != null) {
      done.accept(Registration.TAKEN);
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
            done.accept(Registration.FAILED);
          } else {
            done.accept(Registration.CREATED);
          }
        });
  }

  @Override
  public void close() {
    hasher.close();
  }
}
