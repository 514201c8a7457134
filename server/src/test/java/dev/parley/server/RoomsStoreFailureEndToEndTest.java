package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.store.InMemoryStore;
import dev.parley.server.store.RoomRecord;
import dev.parley.server.store.StoreException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A room the store cannot open: the joiner is answered {@code C ERR 500}, its next lines are
 * answered in order after it, and a later JOIN works. The store is no {@link InMemoryStore}, so it
 * runs on a store thread and the room is read while the joiner's input waits.
 */
class RoomsStoreFailureEndToEndTest {
  @RegisterExtension final ServerUnderTest server = ServerUnderTest.startedByEachTest();

  /** A store whose next {@link #openRoom} can be made to fail. */
  private static final class FailingRooms extends ForwardingStore {
    final AtomicBoolean failNext = new AtomicBoolean();

    @Override
    public RoomRecord openRoom(String name) throws StoreException {
      if (failNext.getAndSet(false)) {
        throw new StoreException("cannot open room " + name + ": the disk is full (test)");
      }
      return super.openRoom(name);
    }
  }

  @Test
  void aRoomTheStoreCannotOpenIs500AndTheSessionGoesOn() throws Exception {
    FailingRooms store = new FailingRooms();
    server.start(store, Clock.systemUTC());
    LineClient alice = server.signIn("alice");

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
