package dev.parley.server.classroom;

import java.time.Duration;
import java.util.List;

/**
 * Every line classroom mode prints or sends, exactly as section 9 of the protocol gives them (note
 * the four dots), and the few it adds (a pair timeout). Students compare these to the character, so
 * they live in one place. Any thread.
 */
final class ClassroomText {
  static final String WAITING_FOR_CONNECTIONS =
      "The server is waiting to receive two connections....";
  static final String WAITING_FOR_MESSAGES =
      "Waiting to receive messages from client X and client Y....";
  static final String ACKNOWLEDGMENT_SENT = "Sent acknowledgment to both X and Y";
  static final String BYE = "Bye";
  static final String DONE = "Done.";

  private ClassroomText() {}

  /** What the server prints as it accepts X (the first connection) or Y (the second). */
  static String accepted(Label label) {
    return label == Label.X
        ? "Accepted first connection, calling it client X"
        : "Accepted second connection, calling it client Y";
  }

  /** What the server sends a client once both are connected: {@code Client X connected}. */
  static String connected(Label label) {
    return "Client " + label + " connected";
  }

  /**
   * {@code X: Alice received before Y: Bob}: the messages in the order they arrived, each without
   * its sender's own {@code Client X: } label.
   */
  static String acknowledgment(
      Label first, String firstMessage, Label second, String secondMessage) {
    return first
        + ": "
        + withoutLabel(first, firstMessage)
        + " received before "
        + second
        + ": "
        + withoutLabel(second, secondMessage);
  }

  /** A relayed message, {@code X: <text>}: the text exactly as sent, any label included. */
  static String relayed(Label from, String message) {
    return from + ": " + message;
  }

  /** What the other client is told, and the server prints, when a client leaves early. */
  static String disconnected(Label label) {
    return "Client " + label + " disconnected";
  }

  /**
   * What both clients are told, and the server prints, when a pair received nothing for the pair
   * timeout: {@code Pair ended: no message from client Y in 60 s}, naming the clients it waited for
   * (both, while relaying).
   */
  static String timedOut(List<Label> silent, Duration timeout) {
    StringBuilder who = new StringBuilder();
    for (Label label : silent) {
      who.append(who.length() == 0 ? "client " : " or client ").append(label);
    }
    long millis = timeout.toMillis();
    String after = millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    return "Pair ended: no message from " + who + " in " + after;
  }

  /**
   * The message without a leading {@code Client X: } of its own sender. Another client's label is
   * kept: a message X sends as {@code Client Y: ...} is not Y's.
   */
  static String withoutLabel(Label sender, String message) {
    String prefix = sender.clientPrefix();
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }
}
