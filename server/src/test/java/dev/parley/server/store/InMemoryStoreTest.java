package dev.parley.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.protocol.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryStoreTest {

  private static ChatMessage pm(long seq) {
    return ChatMessage.publicMessage(seq, 1_000 + seq, "alice", "pm " + seq);
  }

  private static ChatMessage dm(long seq) {
    return ChatMessage.directMessage(seq, 1_000 + seq, "alice", "bob", "dm " + seq);
  }

  @Test
  void anEmptyStoreHasLastSeqZeroAndNoHistory() {
    InMemoryStore store = new InMemoryStore();
    assertEquals(0, store.lastSeq());
    assertEquals(List.of(), store.recentPublic(20));
  }

  @Test
  void recentPublicGivesTheLastPublicMessagesOldestFirstAndSkipsDirectOnes() {
    InMemoryStore store = new InMemoryStore();
    store.append(List.of(pm(1), dm(2), pm(3)));
    store.append(List.of(dm(4), pm(5)));
    assertEquals(5, store.lastSeq());
    assertEquals(List.of(pm(3), pm(5)), store.recentPublic(2));
    assertEquals(List.of(pm(1), pm(3), pm(5)), store.recentPublic(10));
    assertEquals(List.of(), store.recentPublic(0));
  }

  @Test
  void anAccountSeesOnlyTheDirectMessagesStoredWhileAccountsWereOn() {
    InMemoryStore store = new InMemoryStore();
    store.append(List.of(pm(1), dm(2)));
    store.setAccountsOn(true);
    store.append(List.of(dm(3)));
    assertEquals(List.of(pm(1), dm(3)), store.visibleTo("BOB", 10));
    assertEquals(List.of(pm(1), dm(3)), store.visibleTo("alice", 10));
  }

  @Test
  void theOldestMessagesGoOnceTheCapacityIsReachedButLastSeqStays() {
    InMemoryStore store = new InMemoryStore(3);
    List<ChatMessage> batch = new ArrayList<>();
    for (long seq = 1; seq <= 7; seq++) {
      batch.add(pm(seq));
    }
    store.append(batch);
    assertEquals(7, store.lastSeq());
    assertEquals(List.of(pm(5), pm(6), pm(7)), store.recentPublic(10));
  }

  @Test
  void aSeqThatIsNotAfterTheLastIsRefused() {
    InMemoryStore store = new InMemoryStore();
    store.append(List.of(pm(5)));
    assertThrows(IllegalArgumentException.class, () -> store.append(List.of(pm(5))));
    assertThrows(IllegalArgumentException.class, () -> store.append(List.of(pm(3))));
    assertEquals(5, store.lastSeq());
  }

  @Test
  void aBatchIsStoredWholeOrNotAtAll() {
    InMemoryStore store = new InMemoryStore();
    store.append(List.of(pm(1)));
    assertThrows(IllegalArgumentException.class, () -> store.append(List.of(pm(2), pm(2))));
    assertEquals(1, store.lastSeq(), "nothing of a refused batch is kept");
    assertEquals(List.of(pm(1)), store.recentPublic(10));
  }

  @Test
  void capacityMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new InMemoryStore(0));
  }
}
