package dev.parley.client.classroom;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of section 9's transcript as the classroom server and its two clients print it, for
 * comparing their whole output to the character. Only the names and messages vary between runs.
 */
final class ClassroomTranscript {
  private ClassroomTranscript() {}

  /** The lines, each ending in LF, as one text. */
  static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  /**
   * What the server prints for its first pair whose messages arrived in this order, up to the
   * acknowledgment, then {@code after}.
   */
  static String server(String firstMessage, String secondMessage, String... after) {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "The server is waiting to receive two connections....",
                "Accepted first connection, calling it client X",
                "Accepted second connection, calling it client Y",
                "Waiting to receive messages from client X and client Y....",
                firstMessage,
                secondMessage,
                "Sent acknowledgment to both X and Y"));
    lines.addAll(List.of(after));
    return lines(lines.toArray(String[]::new));
  }

  /**
   * What the client labelled {@code label} shows when its person types {@code name}: the connected
   * line, the prompt with the name, the message it sent, then {@code after}.
   */
  static String client(String label, String name, String... after) {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "Client " + label + " connected",
                "Enter a name: " + name,
                "Client " + label + ": " + name));
    lines.addAll(List.of(after));
    return lines(lines.toArray(String[]::new));
  }
}
