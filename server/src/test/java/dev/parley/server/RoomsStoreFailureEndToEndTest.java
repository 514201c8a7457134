package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.server.store.InMemoryStore;
import dev.parley.server.store.RoomRecord;
import dev.parley.server.store.StoreException;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A room the store cannot open: the joiner is answered {@code C ERR 500}, its next lines are
 * answered in order after it, and a later JOIN works. A topic is told to the room only once the
 * store took it, and a topic the store refuses is told to nobody. The store is no {@link
 * InMemoryStore}, so it runs on a store thread and the room is read while the joiner's input waits.
 */
class RoomsStoreFailureEndToEndTest {
  @RegisterExtension final ServerUnderTest server = ServerUnderTest.startedByEachTest();

  /** A store whose next {@link #openRoom} or {@link #setTopic} can be made to fail or wait. */
  private static final class FailingRooms extends ForwardingStore {
    final AtomicBoolean failNext = new AtomicBoolean();
    final AtomicBoolean failNextTopic = new AtomicBoolean();
    final CountDownLatch topicReached = new CountDownLatch(1);
    volatile CountDownLatch topicHeld; // while set, setTopic waits for it (on the store thread)

    @Override
    public RoomRecord openRoom(String name) throws StoreException {
      if (failNext.getAndSet(false)) {
        throw new StoreException("cannot open room " + name + ": the disk is full (test)");
      }
      return super.openRoom(name);
    }

    @Override
    public void setTopic(String room, String setter, String text) throws StoreException {
      topicReached.countDown();
      CountDownLatch held = topicHeld;
      if (held != null) {
        try {
          if (!held.await(30, TimeUnit.SECONDS)) {
            fail("the test never let the topic write go on");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StoreException("interrupted (test)", e);
        }
      }
      if (failNextTopic.getAndSet(false)) {
        throw new StoreException("cannot set the topic of " + room + ": the disk is full (test)");
      }
      super.setTopic(room, setter, text);
    }
  }

  private final FailingRooms store = new FailingRooms();
  private LineClient alice;
  private LineClient bob;

  /** Starts the server on {@link #store}, signs in alice and bob and puts both in {@code #lab}. */
  private void startWithBothInLab() throws Exception {
    server.start(store, Clock.systemUTC());
    alice = server.signIn("alice");
    bob = server.signInSeenBy("bob", alice);
    alice.send("C JOIN #lab");
    assertTrue(alice.next().startsWith("C JOINED #lab "));
    bob.send("C JOIN #lab");
    assertTrue(bob.next().startsWith("C JOINED #lab "));
    alice.expect("C JOIN #lab bob");
  }

  @Test
  void aTopicIsToldOnlyOnceTheStoreTookIt() throws Exception {
    startWithBothInLab();
    CountDownLatch release = new CountDownLatch(1);
    store.topicHeld = release;
    alice.send("C TOPIC #lab sockets", "C PING after");
    try {
      assertTrue(
          store.topicReached.await(30, TimeUnit.SECONDS), "the topic never got to the store");
      bob.expectNothingElse(); // the store has not taken it yet
    } finally {
      release.countDown();
    }

    alice.expect("C TOPIC #lab alice sockets", "C PONG after");
    bob.expect("C TOPIC #lab alice sockets");
  }

  @Test
  void aTopicTheStoreRefusesIs500AndToldToNobody() throws Exception {
    startWithBothInLab();

    store.failNextTopic.set(true);
    alice.send("C TOPIC #lab sockets", "C TOPIC #lab", "C PING after");
    assertTrue(alice.next().startsWith("C ERR 500 "));
    alice.expect("C TOPIC #lab", "C PONG after");
    bob.expectNothingElse();
    bob.send("C TOPIC #lab");
    bob.expect("C TOPIC #lab");

    alice.send("C TOPIC #lab later");
    alice.expect("C TOPIC #lab alice later");
    bob.expect("C TOPIC #lab alice later");
  }

  @Test
  void aRoomTheStoreCannotOpenIs500AndTheSessionGoesOn() throws Exception {
    server.start(store, Clock.systemUTC());
    alice = server.signIn("alice");

    store.failNext.set(true);
    alice.send("C JOIN #lab", "C PM #lab", "C PING after");
    assertTrue(alice.next().startsWith("C ERR 500 "));
    assertTrue(alice.next().startsWith("C ERR 403 ")); // not joined, so not in it
    alice.expect("C PONG after");

    alice.send("C JOIN #lab", "C PM #lab", "D now", "C ROOMS");
    assertTrue(alice.next().startsWith("C JOINED #lab "));
    alice.expect("C PROMPT TEXT", "C SENT PM #lab 1 0", "C ROOMS 1 #lab");
  }
}
