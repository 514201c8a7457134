package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.protocol.ChatMessage;
import dev.parley.server.store.InMemoryStore;
import dev.parley.server.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server with a store and a clock the test controls: exact lines, restarts, failures. */
class StoreEndToEndTest {
  private static final String NOW = "2026-11-21T10:15:30.123Z";
  private static final Clock FIXED = Clock.fixed(Instant.parse(NOW), ZoneOffset.UTC);

  @RegisterExtension final ServerUnderTest server = ServerUnderTest.startedByEachTest();

  /** A store whose next append can be made to fail, on a store thread as a disk store is. */
  private static final class FailingStore extends ForwardingStore {
    private final AtomicBoolean failNext = new AtomicBoolean();

    @Override
    public void append(List<ChatMessage> batch) throws StoreException {
      if (failNext.getAndSet(false)) {
        throw new StoreException("disk on fire");
      }
      super.append(batch);
    }
  }

  @Test
  void deliveredLinesCarrySeqTimeSenderAndTextExactly() throws Exception {
    server.start(new InMemoryStore(), FIXED);
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);

    alice.send("C PM", "D hello, world  with  spaces ", "C DM", "C bob", "D just for you");
    alice.expect(
        "C PROMPT TEXT",
        "C SENT PM 1 1",
        "C USERS 2 alice bob",
        "C PROMPT RECIPIENT",
        "C PROMPT TEXT",
        "C SENT DM 2 bob");
    bob.expect(
        "D PM 1 " + NOW + " alice hello, world  with  spaces ",
        "D DM 2 " + NOW + " alice bob just for you");
  }

  @Test
  void aRestartedServerContinuesTheSeqAndReplaysConfirmedMessages() throws Exception {
    InMemoryStore store = new InMemoryStore();
    server.start(store, FIXED);
    LineClient alice = server.signIn("alice");
    alice.send("C PM", "D before", "C DM", "C alice", "D note");
    alice.expect("C PROMPT TEXT", "C SENT PM 1 0");
    alice.nextMatching(line -> line.startsWith("C SENT DM "));
    server.restart();
    LineClient bob = server.connect("bob");
    assertEquals(List.of("D PM 1 " + NOW + " alice before"), bob.signIn("bob"));
    bob.send("C PM", "D after");
    bob.expect("C PROMPT TEXT", "C SENT PM 3 0");
  }

  @Test
  void aMessageTheStoreRefusesIsAnsweredWith500AndDeliveredToNobody() throws Exception {
    FailingStore store = new FailingStore();
    server.start(store, FIXED);
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);

    store.failNext.set(true);
    alice.send("C PM", "D lost", "C PING after");
    alice.expect("C PROMPT TEXT");
    alice.expectStartsWith("C ERR 500 ");
    alice.expect("C PONG after");
    bob.expectNothingElse();

    // The refused message's seq stays unused: the only gap the protocol allows.
    alice.send("C PM", "D kept");
    alice.expect("C PROMPT TEXT", "C SENT PM 2 1");
    bob.expect("D PM 2 " + NOW + " alice kept");
    bob.send("C CH");
    bob.expect("C HISTORY 1", "D PM 2 " + NOW + " alice kept");
  }
}
