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
 */
public record ChatMessage(
    long seq, long timeMillis, MessageKind kind, String from, String to, String text) {
  public ChatMessage {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(text, "text");
    if ((kind == MessageKind.DM) != (to != null)) {
      throw new IllegalArgumentException("a DM has a recipient and a PM has none");
    }
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
