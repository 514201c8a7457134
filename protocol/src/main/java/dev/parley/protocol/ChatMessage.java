package dev.parley.protocol;

import java.util.Objects;

/**
 * One accepted chat message as the ordering arbiter stamped it.
 *
 * @param seq the server-wide arrival order, strictly increasing
 * @param timeMillis the server's receive time, milliseconds since the epoch (UTC)
 * @param kind public or direct
 * @param from the sender's name as spelled at sign-in
 * @param to the recipient's name for a DM; null for a PM
 * @param text the message text, without line end
 * @param room the room of a PM outside {@code #main} as first spelled (protocol section 12), or
 *     {@code #main} when a request named it; null for {@code #main} in its old form and for a DM
 */
public record ChatMessage(
    long seq, long timeMillis, MessageKind kind, String from, String to, String text, String room) {
  public ChatMessage {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(text, "text");
    if ((kind == MessageKind.DM) != (to != null)) {
      throw new IllegalArgumentException("a DM has a recipient and a PM has none");
    }
    if (room != null && kind == MessageKind.DM) {
      throw new IllegalArgumentException("a DM belongs to #main and names no room");
    }
  }

  /** A message of {@code #main}, which names no room. */
  public ChatMessage(
      long seq, long timeMillis, MessageKind kind, String from, String to, String text) {
    this(seq, timeMillis, kind, from, to, text, null);
  }

  /** A public message in {@code room} (null for {@code #main} in its old form). */
  public static ChatMessage roomMessage(
      String room, long seq, long timeMillis, String from, String text) {
    return new ChatMessage(seq, timeMillis, MessageKind.PM, from, null, text, room);
  }

  /** The same message shown with {@code room} (a DM keeps its form: it names no room). */
  public ChatMessage inRoom(String room) {
    return isPublic() ? new ChatMessage(seq, timeMillis, kind, from, to, text, room) : this;
  }

  public static ChatMessage publicMessage(long seq, long timeMillis, String from, String text) {
    return new ChatMessage(seq, timeMillis, MessageKind.PM, from, null, text);
  }

  public static ChatMessage directMessage(
      long seq, long timeMillis, String from, String to, String text) {
    return new ChatMessage(seq, timeMillis, MessageKind.DM, from, to, text);
  }

  public boolean isPublic() {
    return kind == MessageKind.PM;
  }
}
