package dev.parley.server.chat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.net.Pause;
import dev.parley.net.ProbingPeer;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerLine;
import dev.parley.server.account.Account;
import dev.parley.server.account.Accounts;
import dev.parley.server.account.PasswordChecks;
import dev.parley.server.account.PasswordHasher;
import dev.parley.server.account.SignInThrottle;
import dev.parley.server.store.InMemoryStore;
import dev.parley.server.store.InlineStoreWriter;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The password steps' decisions without a socket: what each check outcome answers, what is refused
 * before any hashing, and how much of the sign-in deadline waiting for checks excuses. The loop's
 * clock is moved by hand and its tasks run by the test.
 */
class PasswordSignInTest {
  private static final long SECOND = 1_000_000_000L;

  private long now = 1_000 * SECOND;
  private final ConcurrentLinkedQueue<Runnable> loopTasks = new ConcurrentLinkedQueue<>();
  private final Set<Pause> pauses = EnumSet.noneOf(Pause.class);
  private final List<PasswordSignIn.Verdict> verdicts = new ArrayList<>();
  private PasswordHasher hasher;
  private Accounts accounts;
  private PasswordSignIn signIn;

  @BeforeEach
  void setUp() throws Exception {
    hasher = new PasswordHasher(1, 1);
    InMemoryStore store = new InMemoryStore();
    store.setAccountsOn(true);
    accounts =
        new Accounts(
            List.of(new Account("Alice", new byte[16], new byte[32], 1)),
            hasher,
            new SignInThrottle(() -> now),
            new InlineStoreWriter(store),
            loopTasks::add,
            8,
            4);
    signIn = new PasswordSignIn(peer(), accounts, () -> now, new RoomStats());
  }

  @AfterEach
  void tearDown() {
    accounts.close();
  }

  /** The connection as the sign-in sees it: an address and pauses; nothing else is used. */
  private ProbingPeer peer() {
    InetSocketAddress remote = new InetSocketAddress("192.0.2.7", 40000);
    return (ProbingPeer)
        Proxy.newProxyInstance(
            ProbingPeer.class.getClassLoader(),
            new Class<?>[] {ProbingPeer.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "remoteAddress" -> remote;
                  case "probeGone" -> false;
                  case "pause" -> pauses.add((Pause) args[0]);
                  case "resume" -> pauses.remove((Pause) args[0]);
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  @Test
  void eachOutcomeOfACheckIsSignedInOrARetryWithItsCode() {
    assertEquals(ServerLine.PasswordKind.EXISTING, signIn.ask("alice"));
    // The account's own spelling is the one others see; a name still in use is told as asked.
    assertEquals(
        new PasswordSignIn.Accepted("alice", "Alice"), signIn.verdict(Accounts.Outcome.RIGHT));
    assertEquals(ErrorCode.WRONG_PASSWORD, refused(Accounts.Outcome.WRONG).code());
    assertEquals(ErrorCode.TOO_MANY_ATTEMPTS, refused(Accounts.Outcome.LOCKED).code());

    assertEquals(ServerLine.PasswordKind.NEW, signIn.ask("bob"));
    assertEquals(
        new PasswordSignIn.Accepted("bob", "bob"), signIn.verdict(Accounts.Outcome.CREATED));
    assertEquals(ErrorCode.NAME_TAKEN, refused(Accounts.Outcome.TAKEN).code());
    assertEquals(ErrorCode.STORE_FAILED, refused(Accounts.Outcome.FAILED).code());
  }

  private PasswordSignIn.Refused refused(Accounts.Outcome outcome) {
    return (PasswordSignIn.Refused) signIn.verdict(outcome);
  }

  @Test
  void anEmptyPasswordIsRefusedForANewAccountOnlyAndBeforeAnyCheck() {
    signIn.ask("bob");
    assertEquals(ErrorCode.INVALID_NAME, signIn.refusal("").code());
    assertNull(signIn.refusal("secret"));
    signIn.ask("alice");
    assertNull(signIn.refusal(""), "an existing account's password is checked, even empty");
  }

  @Test
  void theThrottlesRefusalsSayWhyInWords() {
    assertTrue(PasswordSignIn.reasonFor(PasswordChecks.Refusal.ADDRESS_BUSY).contains("address"));
    assertTrue(PasswordSignIn.reasonFor(PasswordChecks.Refusal.SERVER_BUSY).contains("busy"));
    assertEquals(
        ErrorCode.TOO_MANY_ATTEMPTS.defaultReason(),
        PasswordSignIn.reasonFor(PasswordChecks.Refusal.LOCKED));
  }

  @Test
  void waitingForChecksIsExcusedUpToTheCapAndInputPausesMeanwhile() {
    assertEquals(0, signIn.excusedNanos(now));
    signIn.ask("bob");
    signIn.check("secret", verdicts::add);
    assertEquals(Set.of(Pause.PASSWORD_CHECK), pauses);
    now += 7 * SECOND;
    assertEquals(7 * SECOND, signIn.excusedNanos(now), "the check running now counts");
    runLoopUntilAnswered();
    assertEquals(List.of(new PasswordSignIn.Accepted("bob", "bob")), verdicts);
    assertTrue(pauses.isEmpty(), "reading goes on after the answer");
    now += 60 * SECOND;
    assertEquals(7 * SECOND, signIn.excusedNanos(now), "time after the check is not excused");

    signIn.ask("carol");
    signIn.check("secret", verdicts::add);
    now += 60 * SECOND;
    assertEquals(PasswordSignIn.MAX_EXCUSED_CHECKING_NANOS, signIn.excusedNanos(now));
    signIn.cancel();
    assertEquals(7 * SECOND, signIn.excusedNanos(now), "a cancelled check counts no more");
  }

  @Test
  void aCancelledCheckIsNeverAnswered() {
    signIn.ask("bob");
    signIn.check("secret", verdicts::add);
    signIn.cancel();
    now += SECOND;
    loopTasks.forEach(Runnable::run); // whatever reached the loop before the cancel
    assertTrue(verdicts.isEmpty(), "answered after cancel: " + verdicts);
  }

  /** Runs the loop's tasks as the hashing thread posts them, until the verdict is in. */
  private void runLoopUntilAnswered() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              Runnable task;
              while ((task = loopTasks.poll()) != null) {
                task.run();
              }
              return !verdicts.isEmpty();
            });
  }
}
