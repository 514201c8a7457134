package dev.parley.server.account;

import static org.awaitility.Awaitility.await;

import dev.parley.server.ChatServer;
import dev.parley.server.LineClient;
import dev.parley.server.ServerUnderTest;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sign-in with accounts on a server whose loop clock the test moves by hand (protocol section 3):
 * the sign-in deadline excuses up to 30 seconds of waiting for a password check, and the guessing
 * lock is measured on the same clock as every other time limit. The one hashing thread can be held,
 * so a check waits as long as the test wants without anyone waiting for real.
 */
class SignInOnTheLoopClockEndToEndTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  // Far from System.nanoTime(), so that a time limit measured on another clock never expires here.
  private final AtomicLong clock = new AtomicLong(-1000 * SECOND);
  private final ThreadPoolExecutor hashing =
      (ThreadPoolExecutor) Executors.newFixedThreadPool(1, r -> new Thread(r, "test-hash"));
  private final CountDownLatch hashingHeld = new CountDownLatch(1);

  @RegisterExtension final ServerUnderTest server = ServerUnderTest.startedByEachTest();

  private void startServer() throws Exception {
    server.start(
        ServerUnderTest.defaults().toBuilder().accounts(true).maxRate(0).build(),
        new ChatServer.Machine(clock::get, () -> new PasswordHasher(hashing, 1, 1000)));
  }

  /** Keeps the hashing thread busy until {@link #releaseHashing}: checks queue behind it. */
  private void holdHashing() {
    hashing.execute(
        () -> {
          try {
            hashingHeld.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server closed the hasher
          }
        });
  }

  private void releaseHashing() {
    hashingHeld.countDown();
  }

  /** Sends the password and waits until its check queues behind the held hashing thread. */
  private void passwordCheckWaits(LineClient client, String name) {
    client.expectStartsWith("C HELLO ");
    client.send("C NICK " + name);
    client.expect("C PASSWORD NEW");
    client.send("C PASS secret");
    await().atMost(Duration.ofSeconds(10)).until(() -> hashing.getQueue().size() == 1);
  }

  /**
   * Moves the loop's clock on and lets the loop run one whole iteration at the new time: its timers
   * (the sign-in deadlines among them) run before the task that answers the query.
   */
  private void advance(long nanos) {
    clock.addAndGet(nanos);
    server.server().openConnections();
  }

  @Test
  void waitingForAPasswordCheckIsExcusedFromTheSignInDeadline() throws Exception {
    startServer();
    holdHashing();
    LineClient carol = server.connect("carol");
    passwordCheckWaits(carol, "carol");

    // 35 s after connecting, all of it waiting for the check: 30 s are excused, 5 s count.
    advance(35 * SECOND);
    releaseHashing();
    carol.expectStartsWith("C READY carol ");
  }

  @Test
  void waitingForAPasswordCheckCountsAgainAfterThirtySeconds() throws Exception {
    startServer();
    holdHashing();
    LineClient dave = server.connect("dave");
    passwordCheckWaits(dave, "dave");

    // 41 s of waiting: 30 s excused, 11 s count against the 10-second deadline.
    advance(41 * SECOND);
    dave.expect("C BYE sign-in timeout");
    dave.expectClosed();
    releaseHashing();
    server.awaitOpenConnections(0);
  }

  @Test
  void theGuessingLockEndsOnTheLoopsClock() throws Exception {
    startServer();
    server.signIn("victim", "right", "NEW").close();
    server.awaitUsersOnline(0);

    LineClient mallory = server.connect("mallory");
    mallory.expectStartsWith("C HELLO ");
    for (int i = 0; i < SignInThrottle.MAX_FAILURES; i++) {
      mallory.send("C NICK victim");
      mallory.expect("C PASSWORD EXISTING");
      mallory.send("C PASS wrong" + i);
      mallory.expect("C RETRY 401 wrong password");
    }
    mallory.send("C NICK victim");
    mallory.expectStartsWith("C RETRY 429 ");

    // The lock is over on the loop's clock, though hardly any real time has passed.
    advance(SignInThrottle.LOCKOUT_NANOS + SECOND);
    LineClient victim = server.connect("victim");
    victim.expectStartsWith("C HELLO ");
    victim.send("C NICK victim");
    victim.expect("C PASSWORD EXISTING");
    victim.send("C PASS right");
    victim.expectStartsWith("C READY victim ");
  }
}
