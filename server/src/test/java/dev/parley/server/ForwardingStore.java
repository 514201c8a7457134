package dev.parley.server;

import dev.parley.protocol.ChatMessage;
import dev.parley.server.account.Account;
import dev.parley.server.store.InMemoryStore;
import dev.parley.server.store.RoomRecord;
import dev.parley.server.store.Store;
import dev.parley.server.store.StoreException;
import java.util.List;

/**
 * An {@link InMemoryStore} behind a store of another class, for tests that make one call fail by
 * overriding it. Being no {@code InMemoryStore}, it gets a store thread from the server, as a disk
 * store would.
 */
class ForwardingStore implements Store {
  private final InMemoryStore store = new InMemoryStore();

  @Override
  public void setAccountsOn(boolean on) {
    store.setAccountsOn(on);
  }

  @Override
  public long lastSeq() {
    return store.lastSeq();
  }

  @Override
  public void append(List<ChatMessage> batch) throws StoreException {
    store.append(batch);
  }

  @Override
  public String epoch() {
    return store.epoch();
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
  public List<ChatMessage> recentPublic(int n) {
    return store.recentPublic(n);
  }

  @Override
  public List<ChatMessage> visibleTo(String name, int n) {
    return store.visibleTo(name, n);
  }

  @Override
  public RoomRecord openRoom(String name) throws StoreException {
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
