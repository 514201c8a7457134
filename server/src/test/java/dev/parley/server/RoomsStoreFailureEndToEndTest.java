package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ChatMessage;
import dev.parley.server.account.Account;
import dev.parley.server.store.InMemoryStore;
import dev.parley.server.store.RoomRecord;
import dev.parley.server.store.Store;
import dev.parley.server.store.StoreException;
import java.time.Clock;
import java.util.List;
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

  /** An in-memory store whose next {@link #openRoom} can be made to fail. */
  private static final class FailingRooms implements Store {
    private final InMemoryStore store = new InMemoryStore();
    final AtomicBoolean failNext = new AtomicBoolean();

    @Override
    public RoomRecord openRoom(String name) throws StoreException {
      if (failNext.getAndSet(false)) {
        throw new StoreException("cannot open room " + name + ": the disk is full (test)");
      }
      return store.openRoom(name);
    }

    @Override
    public void setTopic(String room, String setter, String text) throws StoreException {
      store.setTopic(room, setter, text);
    }

    @Override
    public List<ChatMessage> roomRecent(String room, int n) {
      return store.roomRecent(room, n);
    }

    @Override
    public List<ChatMessage> roomSince(String room, long afterSeq, int n) {
      return store.roomSince(room, afterSeq, n);
    }

    @Override
    public long lastSeq() {
      return store.lastSeq();
    }

    @Override
    public String epoch() {
      return store.epoch();
    }

    @Override
    public void setAccountsOn(boolean on) {
      store.setAccountsOn(on);
    }

    @Override
    public void append(List<ChatMessage> batch) {
      store.append(batch);
    }

    @Override
    public List<ChatMessage> recentPublic(int n) {
      return store.recentPublic(n);
    }

    @Override
    public List<ChatMessage> visibleTo(String name, int n) {
      return store.visibleTo(name, n);
    }

    @Override
    public List<ChatMessage> publicSince(long afterSeq, int n) {
      return store.publicSince(afterSeq, n);
    }

    @Override
    public List<ChatMessage> visibleSince(String name, long afterSeq, int n) {
      return store.visibleSince(name, afterSeq, n);
    }

    @Override
    public List<Account> loadAccounts() {
      return store.loadAccounts();
    }

    @Override
    public void createAccount(Account account) throws StoreException {
      store.createAccount(account);
    }

    @Override
    public void close() {}
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
