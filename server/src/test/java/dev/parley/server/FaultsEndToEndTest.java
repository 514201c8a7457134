package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ChatMessage;
import dev.parley.server.store.InMemoryStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients that reset their connection (SO_LINGER 0) in the middle of something: a line, a direct
 * message, a long history replay. The others see {@code C LEAVE}, the server keeps no trace of the
 * client (its name is free, the counts are back), and nothing half-done is stored or sequenced.
 */
class FaultsEndToEndTest {
  @RegisterExtension final ServerUnderTest server = ServerUnderTest.startedByEachTest();

  private final InMemoryStore store = new InMemoryStore();
  private LineClient alice;
  private LineClient bob;

  /** Alice and bob online; mallory signed in too, and everyone has seen everyone join. */
  private LineClient startWithMallory() throws Exception {
    server.start(store, Clock.systemUTC());
    alice = server.signIn("alice");
    bob = server.signInSeenBy("bob", alice);
    return server.signInSeenBy("mallory", alice, bob);
  }

  @Test
  void aResetInTheMiddleOfALineLeavesNoTraceAndStoresNothing() throws Exception {
    LineClient mallory = startWithMallory();
    mallory.send("C PM");
    mallory.expect("C PROMPT TEXT");
    mallory.sendRaw("D half a mess".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    mallory.closeAbruptly();

    expectGoneAndChatGoesOn("mallory");
    assertStoredFromMallory(0);
  }

  @Test
  void aResetInTheMiddleOfADirectMessageLeavesNoTraceAndStoresNothing() throws Exception {
    LineClient mallory = startWithMallory();
    mallory.send("C DM", "C alice");
    mallory.expect("C USERS 3 alice bob mallory", "C PROMPT RECIPIENT", "C PROMPT TEXT");
    mallory.closeAbruptly();

    expectGoneAndChatGoesOn("mallory");
    alice.expectNothingElse(); // no DM arrived
    assertStoredFromMallory(0);
  }

  @Test
  void aResetInTheMiddleOfALongHistoryReplayLeavesNoTrace() throws Exception {
    // A thousand messages of 2 KB: the replay is 2 MB, far more than the socket buffers hold, so
    // most of it is still queued on the server when the client resets.
    List<ChatMessage> old = new ArrayList<>();
    String text = "h".repeat(2000);
    for (int seq = 1; seq <= 1000; seq++) {
      old.add(ChatMessage.publicMessage(seq, 1_700_000_000_000L + seq, "old", seq + " " + text));
    }
    store.append(old);
    server.start(store, Clock.systemUTC());
    alice = server.signIn("alice");
    bob = server.signInSeenBy("bob", alice);
    LineClient mallory = server.connect("mallory", 4096);
    mallory.signIn("mallory");
    alice.expect("C JOIN mallory");
    bob.expect("C JOIN mallory");

    mallory.send("C CH 1000");
    mallory.expect("C HISTORY 1000");
    assertEquals(1, Delivered.pm(mallory.next()).seq()); // the replay has begun
    mallory.stopReading();
    mallory.closeAbruptly();

    expectGoneAndChatGoesOn("mallory");
  }

  @Test
  void aResetWhileItsMessageWaitsForTheStoreStillStoresAndDeliversItOnce() throws Exception {
    LineClient mallory = startWithMallory();
    // The message is complete: once read it is sequenced, stored and delivered, reset or not.
    mallory.send("C PM", "D complete before the reset");
    mallory.expect("C PROMPT TEXT");
    mallory.closeAbruptly();

    for (LineClient c : List.of(alice, bob)) {
      String first = c.next();
      if (first.startsWith("D PM ")) {
        assertEquals("complete before the reset", Delivered.pm(first).text());
        c.expect("C LEAVE mallory connection lost");
      } else {
        // Read and reset in one go: the server saw the reset before the message.
        assertEquals("C LEAVE mallory connection lost", first);
      }
    }
    server.awaitUsersOnline(2);
    server.awaitOpenConnections(2);
  }

  /** The others are told, the counts are back, the name is free and the seq has no gap. */
  private void expectGoneAndChatGoesOn(String name) throws Exception {
    alice.expect("C LEAVE " + name + " connection lost");
    bob.expect("C LEAVE " + name + " connection lost");
    server.awaitUsersOnline(2);
    server.awaitOpenConnections(2);
    assertEquals(2, server.server().usersOnline());

    long next = store.lastSeq() + 1;
    alice.send("C PM", "D still chatting");
    alice.expect("C PROMPT TEXT", "C SENT PM " + next + " 1");
    assertEquals("still chatting", Delivered.pm(bob.next()).text());
    bob.send("C LIST");
    bob.expect("C USERS 2 alice bob");

    LineClient again = server.connect(name + "-again");
    again.signIn(name); // the name was released
    alice.expect("C JOIN " + name);
    bob.expect("C JOIN " + name);
  }

  /** Read after the server has stopped: the store is the loop's until then. */
  private void assertStoredFromMallory(int expected) throws Exception {
    server.stop();
    List<ChatMessage> all = store.visibleTo("mallory", 10_000);
    long fromMallory = all.stream().filter(m -> m.from().equals("mallory")).count();
    assertEquals(expected, fromMallory, "messages stored from mallory: " + all);
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i + 1, all.get(i).seq(), "stored seqs: " + all);
    }
    assertTrue(all.stream().anyMatch(m -> m.text().equals("still chatting")));
  }
}
