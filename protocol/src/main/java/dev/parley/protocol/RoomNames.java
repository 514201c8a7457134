package dev.parley.protocol;

import java.util.Locale;

/**
 * The room-name rule of protocol section 12 and the case-folded key under which rooms are one. A
 * room name is {@code #} and then what a user name may hold ({@code A-Z a-z 0-9 _ -}, 1 to 32);
 * keywords are no concern here, since the {@code #} keeps a room name from ever being one.
 */
public final class RoomNames {
  /** The default room: everyone signed in is in it, and lines about it keep their old form. */
  public static final String MAIN = "#main";

  /** The marker every room name starts with; no user name can, which tells the two apart. */
  public static final char MARK = '#';

  /** Longest room name after the {@code #}. */
  public static final int MAX_LENGTH = Names.MAX_LENGTH;

  private RoomNames() {}

  /** True for a word that is meant as a room (it starts with {@code #}), valid or not. */
  public static boolean isRoomWord(String word) {
    return word != null && !word.isEmpty() && word.charAt(0) == MARK;
  }

  /** Null when {@code room} is a valid room name, otherwise why not (for {@code C ERR 422}). */
  public static String problem(String room) {
    if (room == null || room.isEmpty()) {
      return "a room name is required, like #main";
    }
    if (room.charAt(0) != MARK) {
      return "a room name starts with #, like #main";
    }
    if (room.length() == 1) {
      return "a room name has a name after the #";
    }
    if (room.length() - 1 > MAX_LENGTH) {
      return "a room name has at most " + MAX_LENGTH + " characters after the #";
    }
    for (int i = 1; i < room.length(); i++) {
      if (!Names.isNameChar(room.charAt(i))) {
        return "a room name uses only A-Z a-z 0-9 _ - after the #";
      }
    }
    return null;
  }

  public static boolean isValid(String room) {
    return problem(room) == null;
  }

  /** The lookup key: {@code #Rust} and {@code #rust} are one room. */
  public static String key(String room) {
    return room.toLowerCase(Locale.ROOT);
  }

  /** True when {@code room} names the default room, in any case. */
  public static boolean isMain(String room) {
    return room != null && MAIN.equalsIgnoreCase(room) && isValid(room);
  }
}
