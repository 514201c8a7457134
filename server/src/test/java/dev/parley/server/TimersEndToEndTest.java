package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the server does on its own over time: the sign-in deadline, idle pings, the rate allowance
 * and shutdown. Deadlines are set to fractions of a second; tests wait for lines, never sleep.
 */
class TimersEndToEndTest {
  @RegisterExtension
  final ServerUnderTest server =
      ServerUnderTest.startedByEachTest().overTls(overTls()).overWebSocket(overWebSocket());

  /** True in the subclass that runs these tests over TLS. */
  boolean overTls() {
    return false;
  }

  /** True in the subclass that runs these tests over WebSocket on the web port. */
  boolean overWebSocket() {
    return false;
  }

  @Test
  void aConnectionThatDoesNotSignInInTimeGetsByeAndIsClosed() throws Exception {
    server.start(
        ServerUnderTest.defaults().toBuilder().signInTimeout(Duration.ofMillis(300)).build());
    LineClient alice = server.signIn("alice");
    LineClient lurker = server.connect("lurker");
    lurker.expectStartsWith("C HELLO ");
    lurker.send("C PING still-here"); // lines do not extend the deadline: only READY counts
    lurker.expect("C PONG still-here");
    lurker.expect("C BYE sign-in timeout");
    lurker.expectClosed();
    server.awaitOpenConnections(1);
    // The one who signed in in time stays, and nobody is told about a connection without a name.
    alice.expectNothingElse();
  }

  @Test
  void anIdleUserIsPingedAndDroppedIfItDoesNotAnswerWhileOneThatAnswersStays() throws Exception {
    server.start(
        ServerUnderTest.defaults().toBuilder().idleTimeout(Duration.ofMillis(300)).build());
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);

    // Alice answers every ping, from a thread of her own so that she is never late.
    AtomicInteger alicePings = new AtomicInteger();
    CompletableFuture<String> aliceNextNotice =
        CompletableFuture.supplyAsync(
            () -> {
              while (true) {
                String line = alice.next();
                if (!line.startsWith("C PING ")) {
                  return line;
                }
                alice.send("C PONG " + line.substring("C PING ".length()));
                alicePings.incrementAndGet();
              }
            });

    String ping = bob.expectStartsWith("C PING ");
    assertTrue(ping.length() > "C PING ".length(), "the ping has a token: " + ping);
    bob.expect("C BYE ping timeout");
    bob.expectClosed();
    assertEquals("C LEAVE bob ping timeout", aliceNextNotice.get(10, TimeUnit.SECONDS));
    assertTrue(alicePings.get() >= 1, "alice was pinged too");
    server.awaitUsersOnline(1);
    alice.send("C LIST");
    assertEquals("C USERS 1 alice", alice.nextMatching(line -> !line.startsWith("C PING ")));
  }

  @Test
  void aClientOverItsRateAllowanceIsSlowedButEveryLineIsAnsweredInOrder() throws Exception {
    server.start(ServerUnderTest.defaults().toBuilder().maxRate(100).rateBurst(10).build());
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);

    int count = 100;
    String[] pings = new String[count];
    for (int i = 0; i < count; i++) {
      pings[i] = "C PING " + i;
    }
    long start = System.nanoTime();
    alice.send(pings);
    // The others are not slowed meanwhile: bob is answered while alice's pings still trickle.
    bob.send("C PING bob");
    bob.expect("C PONG bob");
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      answers.add(alice.next());
    }
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    for (int i = 0; i < count; i++) {
      assertEquals("C PONG " + i, answers.get(i));
    }
    // 10 at once, then 100 per second: the last 90 need 0.9 s at least.
    assertTrue(elapsedMillis >= 700, "took only " + elapsedMillis + " ms: not slowed down");
    alice.expectNothingElse();
  }

  @Test
  void shutdownSaysByeToEveryConnectionAndClosesThem() throws Exception {
    server.start(ServerUnderTest.defaults());
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    LineClient lurker = server.connect("lurker");
    lurker.expectStartsWith("C HELLO ");

    server.server().shutdown(Duration.ofSeconds(5));

    for (LineClient c : List.of(alice, bob, lurker)) {
      c.expect("C BYE server shutting down");
      c.expectClosed(); // and no C LEAVE about the others on the way out
    }
  }
}
