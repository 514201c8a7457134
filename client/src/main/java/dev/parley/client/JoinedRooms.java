package dev.parley.client;

import dev.parley.protocol.RoomNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The rooms this connection is in (protocol section 12) and which of them is the current one, the
 * room plain text goes to. {@code #main} is always joined. The loop thread changes it, on the
 * server's {@code C JOINED} and {@code C PARTED} and on a {@code /switch}; the keyboard thread
 * reads it for Tab and for the check before a line is accepted, so every field is safe to read from
 * any thread.
 */
final class JoinedRooms {
  // By case-folded key, to the spelling the server gave in C JOINED; sorted for Tab.
  private final Map<String, String> joined = new ConcurrentSkipListMap<>();
  private volatile String current = RoomNames.MAIN;

  JoinedRooms() {
    joined.put(RoomNames.key(RoomNames.MAIN), RoomNames.MAIN);
  }

  /** The current room, as the server spelled it. */
  String current() {
    return current;
  }

  /** The room word for a request about the current room: null for {@code #main}, its old form. */
  String currentWord() {
    return RoomNames.isMain(current) ? null : current;
  }

  /** The joined room that {@code room} names, in any case, as the server spelled it; or null. */
  String find(String room) {
    return joined.get(RoomNames.key(room));
  }

  boolean isCurrent(String room) {
    return RoomNames.key(current).equals(RoomNames.key(room == null ? RoomNames.MAIN : room));
  }

  /** {@code C JOINED}: {@code room} is joined, and becomes the current room. */
  void joined(String room) {
    joined.put(RoomNames.key(room), room);
    current = room;
  }

  /** {@code C PARTED}: when it was the current room, {@code #main} is current again. */
  void parted(String room) {
    if (RoomNames.isMain(room)) {
      return;
    }
    joined.remove(RoomNames.key(room));
    if (isCurrent(room)) {
      current = RoomNames.MAIN;
    }
  }

  /** Makes the joined room {@code room} names current; false when it is not joined. */
  boolean switchTo(String room) {
    String spelled = find(room);
    if (spelled == null) {
      return false;
    }
    current = spelled;
    return true;
  }

  /** The connection ended: the server forgets its rooms, so the client is in {@code #main}. */
  void forget() {
    joined.keySet().removeIf(key -> !RoomNames.isMain(key));
    current = RoomNames.MAIN;
  }

  /** The joined rooms, sorted by case-folded name, {@code #main} among them. */
  List<String> names() {
    return new ArrayList<>(joined.values());
  }

  /**
   * The prompt in front of the input line: the current room's name when it is not {@code #main}.
   */
  String prompt() {
    String room = current;
    return RoomNames.isMain(room) ? ConsoleReader.PROMPT : room + ConsoleReader.PROMPT;
  }
}
