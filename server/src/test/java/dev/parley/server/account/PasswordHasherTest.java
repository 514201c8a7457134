package dev.parley.server.account;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PBKDF2 on the hasher's own pool. Most cases use a small iteration count so they run fast; one
 * makes an account at the real count.
 */
class PasswordHasherTest {
  private static final int FEW_ITERATIONS = 1_000;

  private final PasswordHasher hasher = new PasswordHasher(2, FEW_ITERATIONS);

  @AfterEach
  void closeHasher() {
    hasher.close();
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(30, TimeUnit.SECONDS);
  }

  private Account create(String name, String password) throws Exception {
    CompletableFuture<Account> made = new CompletableFuture<>();
    hasher.create(name, password, made::complete);
    return await(made);
  }

  private boolean verify(Account account, String password) throws Exception {
    CompletableFuture<Boolean> ok = new CompletableFuture<>();
    hasher.verify(account, password, ok::complete);
    return await(ok);
  }

  @Test
  void theIterationCountIsAtLeastOwaspsSixHundredThousand() {
    assertTrue(PasswordHasher.ITERATIONS >= 600_000, "ITERATIONS = " + PasswordHasher.ITERATIONS);
  }

  @Test
  void aNewAccountHasA32ByteHashA16ByteSaltAndTheHashersIterationCount() throws Exception {
    Account alice = create("Alice", "correct horse battery staple");

    assertEquals("Alice", alice.name());
    assertEquals(32, alice.hash().length);
    assertEquals(16, alice.salt().length);
    assertEquals(PasswordHasher.SALT_BYTES, alice.salt().length);
    assertEquals(FEW_ITERATIONS, alice.iterations());
    assertArrayEquals(
        PasswordHasher.hash("correct horse battery staple", alice.salt(), FEW_ITERATIONS),
        alice.hash());
  }

  @Test
  void theRightPasswordVerifiesAndAnyOtherDoesNot() throws Exception {
    Account alice = create("alice", "correct horse battery staple");

    assertTrue(verify(alice, "correct horse battery staple"));
    assertFalse(verify(alice, "correct horse battery stapl"));
    assertFalse(verify(alice, "correct horse battery staple "));
    assertFalse(verify(alice, "Correct horse battery staple"));
    assertFalse(verify(alice, ""));
  }

  @Test
  void everyAccountGetsItsOwnRandomSaltSoEqualPasswordsHashDifferently() throws Exception {
    Account alice = create("alice", "same password");
    Account bob = create("bob", "same password");
    Account alice2 = create("alice", "same password");

    assertFalse(Arrays.equals(alice.salt(), bob.salt()));
    assertFalse(Arrays.equals(alice.salt(), alice2.salt()));
    assertFalse(Arrays.equals(alice.hash(), bob.hash()));
    assertFalse(Arrays.equals(alice.salt(), new byte[16]), "not all zero");
    assertTrue(verify(bob, "same password"));
  }

  @Test
  void anAccountIsVerifiedWithTheIterationCountItWasMadeWith() throws Exception {
    byte[] salt = new byte[16];
    Arrays.fill(salt, (byte) 7);
    Account old = new Account("old", salt, PasswordHasher.hash("pw", salt, 2_000), 2_000);

    assertTrue(verify(old, "pw"), "hashed at 2000 iterations, checked by a 1000-iteration hasher");
    assertFalse(verify(old, "wrong"));
  }

  @Test
  void hashingRunsOnTheHashersPoolNotOnTheCallersThread() throws Exception {
    CompletableFuture<String> thread = new CompletableFuture<>();
    hasher.create("alice", "pw", a -> thread.complete(Thread.currentThread().getName()));

    String name = await(thread);
    assertNotEquals(Thread.currentThread().getName(), name);
    assertTrue(name.startsWith("parley-hash-"), name);
  }

  @Test
  void anAccountMadeOnThisMachineUsesTheFullIterationCount() throws Exception {
    PasswordHasher real = PasswordHasher.forThisMachine();
    try {
      CompletableFuture<Account> made = new CompletableFuture<>();
      real.create("alice", "pw", made::complete);
      Account alice = await(made);
      assertEquals(PasswordHasher.ITERATIONS, alice.iterations());
      assertArrayEquals(
          PasswordHasher.hash("pw", alice.salt(), PasswordHasher.ITERATIONS), alice.hash());
    } finally {
      real.close();
    }
  }

  @Test
  void anAccountPrintsItsNameButNeverItsHashOrSalt() throws Exception {
    Account alice = create("alice", "pw");
    String printed = alice.toString();

    assertTrue(printed.contains("alice"), printed);
    HexFormat hex = HexFormat.of();
    for (String secret : new String[] {hex.formatHex(alice.hash()), hex.formatHex(alice.salt())}) {
      assertFalse(printed.toLowerCase(Locale.ROOT).contains(secret.substring(0, 8)), printed);
    }
    assertFalse(printed.contains("[B@"), "no byte array identity either: " + printed);
    assertFalse(printed.contains("hash"), printed);
  }

  @Test
  void anAccountHandsOutCopiesSoItsHashCannotBeChangedFromOutside() throws Exception {
    Account alice = create("alice", "pw");
    byte[] hash = alice.hash();
    Arrays.fill(hash, (byte) 0);

    assertFalse(Arrays.equals(hash, alice.hash()));
    assertTrue(verify(alice, "pw"));
  }
}
