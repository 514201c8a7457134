package dev.parley.protocol;

/**
 * An optional room word at the start of a server line's rest (a word that starts with {@code #}),
 * and what follows it. Used by {@link ServerLine#parse}: the server writes only valid room names,
 * so an invalid one there is a malformed line.
 */
final class RoomWord {
  final String room; // null when the line names no room
  final String rest;

  private RoomWord(String room, String rest) {
    this.room = room;
    this.rest = rest;
  }

  static RoomWord none(String rest) {
    return new RoomWord(null, rest);
  }

  static RoomWord take(String rest) throws ProtocolException {
    if (rest == null || !RoomNames.isRoomWord(rest)) {
      return none(rest);
    }
    Words words = Words.split(rest);
    return new RoomWord(valid(words.first), words.rest);
  }

  /** {@code word} when it is a valid room name; otherwise the line is malformed. */
  static String valid(String word) throws ProtocolException {
    String problem = RoomNames.problem(word);
    if (problem != null) {
      throw new ProtocolException(ErrorCode.MALFORMED, problem + ": " + word);
    }
    return word;
  }
}
