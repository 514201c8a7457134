package dev.parley.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.parley.server.store.RoomRecord;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Rooms nobody is in cost no more than a bounded cache; one with a message in flight stays. */
class RoomsTest {
  private static Room loaded(Rooms rooms, String name) {
    Room room = rooms.take(name);
    room.loaded(new RoomRecord(name, "e", 0, null, null));
    return room;
  }

  @Test
  void emptyRoomsAreCachedUpToTheBoundAndThenForgotten() {
    Rooms rooms = new Rooms();
    Room first = loaded(rooms, "#r0");
    rooms.maybeIdle(first);
    for (int i = 1; i < 10 * Rooms.IDLE_CACHE; i++) {
      rooms.maybeIdle(loaded(rooms, "#r" + i));
    }
    assertEquals(0, rooms.inUseCount());
    assertEquals(Rooms.IDLE_CACHE, rooms.idleCount());
    // The oldest was forgotten: taking it again starts a new room, to be read from the store.
    assertNotSame(first, rooms.take("#R0"));
    // A recent one comes back from the cache as it was.
    Room recent = rooms.take("#r" + (10 * Rooms.IDLE_CACHE - 1));
    assertEquals(true, recent.isLoaded());
  }

  @Test
  void aRoomWithAMessageOnItsWayToTheStoreIsNotForgotten() {
    Rooms rooms = new Rooms();
    Room busy = loaded(rooms, "#busy");
    busy.sequence("alice", "in flight", Clock.systemUTC());
    rooms.maybeIdle(busy);
    for (int i = 0; i < 2 * Rooms.IDLE_CACHE; i++) {
      rooms.maybeIdle(loaded(rooms, "#r" + i));
    }
    assertSame(busy, rooms.take("#busy")); // its seq must go on from the one given out
  }
}
