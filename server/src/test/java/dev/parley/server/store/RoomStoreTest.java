package dev.parley.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.protocol.ChatMessage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rooms of both stores: a room is made by its first JOIN's spelling and found in any case, its
 * seq counts apart from {@code #main}'s and other rooms', and a batch across rooms is stored whole
 * or not at all (one transaction for the group commit).
 */
class RoomStoreTest {
  @TempDir Path dir;

  private Store open(String kind) throws StoreException {
    return kind.equals("sqlite") ? SqliteStore.open(dir) : new InMemoryStore();
  }

  private static ChatMessage in(String room, long seq, String text) {
    return ChatMessage.roomMessage(room, seq, 1000 + seq, "alice", text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "memory"})
  void aRoomIsMadeOnceAndFoundInAnyCase(String kind) throws Exception {
    try (Store store = open(kind)) {
      RoomRecord made = store.openRoom("#Rust");
      assertEquals(new RoomRecord("#Rust", made.epoch(), 0, null, null), made);
      assertEquals(made, store.openRoom("#rUST"));
      assertNotEquals(made.epoch(), store.openRoom("#go").epoch());
      assertNotEquals(made.epoch(), store.epoch()); // #main has its own
      store.setTopic("#rust", "bob", "ownership  day");
      assertEquals(
          new RoomRecord("#Rust", made.epoch(), 0, "bob", "ownership  day"),
          store.openRoom("#RUST"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "memory"})
  void roomsCountApartAndABatchAcrossRoomsIsAllOrNothing(String kind) throws Exception {
    try (Store store = open(kind)) {
      store.openRoom("#a");
      store.openRoom("#b");
      store.append(
          List.of(
              in("#a", 1, "a1"),
              ChatMessage.publicMessage(1, 1, "bob", "main1"),
              in("#b", 1, "b1"),
              in("#a", 2, "a2")));
      assertEquals(List.of(in("#a", 1, "a1"), in("#a", 2, "a2")), store.roomRecent("#A", 10));
      assertEquals(List.of(in("#a", 2, "a2")), store.roomSince("#a", 1, 10));
      assertEquals(List.of(in("#b", 1, "b1")), store.roomRecent("#b", 1));
      assertEquals(1, store.lastSeq()); // #main's
      assertEquals(2, store.openRoom("#a").lastSeq());

      // A seq used twice in #b spoils the whole batch: #a's message is not kept either.
      assertThrows(
          Exception.class, () -> store.append(List.of(in("#a", 3, "a3"), in("#b", 1, "again"))));
      assertEquals(2, store.openRoom("#a").lastSeq());
      assertEquals(List.of(in("#a", 2, "a2")), store.roomSince("#a", 1, 10));
    }
  }
}
