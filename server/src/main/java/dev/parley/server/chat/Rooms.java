package dev.parley.server.chat;

import dev.parley.protocol.RoomNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rooms other than {@code #main}, by case-folded name: those in use (a member, or a joiner
 * waiting for the store) and a small cache of rooms nobody is in, most recently left last. A room
 * nobody is in costs nothing beyond that cache: the oldest cached room is forgotten (its state is
 * in the store) once nothing of it is on its way to the store. Loop thread only.
 */
final class Rooms {
  /** Rooms nobody is in kept in memory, so a room left and joined again needs no store read. */
  static final int IDLE_CACHE = 64;

  private final Map<String, Room> inUse = new HashMap<>();
  private final LinkedHashMap<String, Room> idle = new LinkedHashMap<>(16, 0.75f, true);

  /** The room in use under {@code name} in any case, or null. */
  Room inUse(String name) {
    return inUse.get(RoomNames.key(name));
  }

  /**
   * The room {@code name} names, made in use: from those in use, the cache, or new and loading (the
   * caller starts the load when {@link Room#isLoaded} is false and nobody waits yet).
   */
  Room take(String name) {
    String key = RoomNames.key(name);
    Room room = inUse.get(key);
    if (room == null) {
      room = idle.remove(key);
      if (room == null) {
        room = new Room(name);
      }
      inUse.put(key, room);
    }
    return room;
  }

  /** Rooms in use now, {@code #main} not counted. */
  int inUseCount() {
    return inUse.size();
  }

  /** Memberships in rooms other than {@code #main}. */
  long members() {
    long members = 0;
    for (Room room : inUse.values()) {
      members += room.size();
    }
    return members;
  }

  /** Rooms with at least one member, sorted by lower-case name; at most {@code max}. */
  List<String> names(int max) {
    List<Room> rooms = new ArrayList<>(inUse.size());
    for (Room room : inUse.values()) {
      if (room.size() > 0) {
        rooms.add(room);
      }
    }
    rooms.sort((a, b) -> a.key().compareTo(b.key()));
    List<String> names = new ArrayList<>(Math.min(max, rooms.size()));
    for (Room room : rooms.subList(0, Math.min(max, rooms.size()))) {
      names.add(room.name());
    }
    return names;
  }

  /** {@code room} may have lost its last member: if so it moves to the cache. */
  void maybeIdle(Room room) {
    if (room.size() > 0 || inUse.get(room.key()) != room) {
      return;
    }
    inUse.remove(room.key());
    if (room.isLoaded()) {
      idle.put(room.key(), room);
      trim();
    }
  }

  /** The store could not open {@code room}: it is forgotten. */
  void dropFailed(Room room) {
    inUse.remove(room.key(), room);
  }

  /** Forgets the oldest cached rooms beyond the bound, keeping any whose messages are in flight. */
  void trim() {
    for (Iterator<Room> it = idle.values().iterator(); idle.size() > IDLE_CACHE && it.hasNext(); ) {
      if (!it.next().hasUnstored()) {
        it.remove();
      }
    }
  }

  /** Cached rooms now (tests check the bound). */
  int idleCount() {
    return idle.size();
  }
}
