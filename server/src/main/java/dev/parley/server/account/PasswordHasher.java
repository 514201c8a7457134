package dev.parley.server.account;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 password hashing on a small pool of its own, because one hash costs hundreds
 * of milliseconds of CPU and the loop must never spend that. {@link #create} and {@link #verify}
 * may be called from any thread; their callbacks run on the pool, so callers hand the result back
 * to the loop themselves.
 */
public final class PasswordHasher implements AutoCloseable {
  /** The OWASP 2023 figure for PBKDF2-HMAC-SHA256. */
  public static final int ITERATIONS = 600_000;

  static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";

  private final SecureRandom random = new SecureRandom();
  private final ExecutorService pool;
  private final int iterations;
  private final int threads;

  /**
   * @param threads hashing threads; keep below the core count so the loop keeps a core
   */
  public PasswordHasher(int threads, int iterations) {
    this(Executors.newFixedThreadPool(threads, hashThreads()), threads, iterations);
  }

  /**
   * Hashes on {@code pool} (shut down with this hasher), which runs {@code threads} hashes at once.
   * For a test that holds the pool to keep a password check waiting.
   */
  public PasswordHasher(ExecutorService pool, int threads, int iterations) {
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be positive");
    }
    this.iterations = iterations;
    this.threads = threads;
    this.pool = pool;
  }

  private static ThreadFactory hashThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "parley-hash-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Hashes that can run at once. */
  public int threads() {
    return threads;
  }

  /** One thread fewer than the cores (at least one), at the full iteration count. */
  public static PasswordHasher forThisMachine() {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    return new PasswordHasher(threads, ITERATIONS);
  }

  /**
   * Hashes a new password for {@code name} with a fresh salt; hands the account to {@code done}.
   */
  public void create(String name, String password, Consumer<Account> done) {
    pool.execute(
        () -> {
          byte[] salt = new byte[SALT_BYTES];
          random.nextBytes(salt);
          done.accept(new Account(name, salt, hash(password, salt, iterations), iterations));
        });
  }

  /** Checks {@code password} against {@code account} in constant time; hands the answer over. */
  public void verify(Account account, String password, Consumer<Boolean> done) {
    pool.execute(
        () -> {
          byte[] actual = hash(password, account.salt(), account.iterations());
          done.accept(MessageDigest.isEqual(actual, account.hash()));
        });
  }

  static byte[] hash(String password, byte[] salt, int iterations) {
    char[] chars = password.toCharArray();
    KeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
    } finally {
      Arrays.fill(chars, '\0');
      ((PBEKeySpec) spec).clearPassword();
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
