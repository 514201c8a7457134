package dev.parley.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.protocol.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentHistoryTest {

  private static StoredMessage message(long seq) {
    return StoredMessage.of(ChatMessage.publicMessage(seq, 0, "alice", "m" + seq));
  }

  private static List<Long> seqs(List<StoredMessage> messages) {
    List<Long> seqs = new ArrayList<>();
    for (StoredMessage m : messages) {
      seqs.add(m.seq());
    }
    return seqs;
  }

  @Test
  void lastGivesTheNewestMessagesOldestFirst() {
    RecentHistory history = new RecentHistory(10);
    for (long seq = 1; seq <= 5; seq++) {
      history.add(message(seq));
    }
    assertEquals(5, history.size());
    assertEquals(List.of(3L, 4L, 5L), seqs(history.last(3)));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(history.last(5)));
  }

  @Test
  void askingForMoreThanIsKeptGivesWhatIsKept() {
    RecentHistory history = new RecentHistory(10);
    assertEquals(List.of(), history.last(20));
    history.add(message(1));
    history.add(message(2));
    assertEquals(List.of(1L, 2L), seqs(history.last(20)));
    assertEquals(List.of(), history.last(0));
  }

  @Test
  void aFullRingOverwritesTheOldestAndStaysInOrderAcrossTheWrap() {
    RecentHistory history = new RecentHistory(4);
    for (long seq = 1; seq <= 11; seq++) {
      history.add(message(seq));
    }
    assertEquals(4, history.size());
    assertEquals(List.of(8L, 9L, 10L, 11L), seqs(history.last(4)));
    assertEquals(List.of(8L, 9L, 10L, 11L), seqs(history.last(100)));
    assertEquals(List.of(10L, 11L), seqs(history.last(2)));
  }

  @Test
  void aRingOfOneKeepsTheLatest() {
    RecentHistory history = new RecentHistory(1);
    history.add(message(1));
    history.add(message(2));
    assertEquals(List.of(2L), seqs(history.last(5)));
  }

  @Test
  void capacityMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new RecentHistory(0));
  }
}
