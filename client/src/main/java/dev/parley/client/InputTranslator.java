package dev.parley.client;

import dev.parley.protocol.ClientLine;
import dev.parley.protocol.Keyword;
import dev.parley.protocol.ProtocolException;

/**
 * Decides what a typed line becomes: the protocol line it spells, or a local explanation when it
 * spells none. People type the protocol itself ({@code C PM}, then {@code D hello}); a line that
 * parses is sent exactly as typed and the server judges whether it fits the moment. Pure, any
 * thread.
 */
public final class InputTranslator {
  static final String COMMANDS = "C PM, C DM, C LIST, C CH [n], C EX";

  static final String NOT_A_LINE =
      "! not sent: commands start with 'C ' (" + COMMANDS + "); message text starts with 'D '";

  /** What to do with one typed line. */
  public sealed interface Translation {}

  /** Send this line. */
  public record Send(ClientLine line) implements Translation {}

  /** Send nothing and show this text instead. */
  public record Explain(String text) implements Translation {}

  /** Send nothing, show nothing (an empty line). */
  public record Ignore() implements Translation {}

  private InputTranslator() {}

  public static Translation translate(String typed) {
    if (typed.isBlank()) {
      return new Ignore();
    }
    try {
      return new Send(ClientLine.parse(typed));
    } catch (ProtocolException e) {
      return new Explain(explain(typed, e));
    }
  }

  private static String explain(String typed, ProtocolException e) {
    if (!typed.startsWith("C ") && !typed.startsWith("D ")) {
      if (typed.startsWith("c ") || typed.startsWith("d ")) {
        return "! not sent: 'C' and 'D' are upper case (C PM, then D <text>)";
      }
      return NOT_A_LINE;
    }
    String body = typed.substring(2);
    int space = body.indexOf(' ');
    String word = space < 0 ? body : body.substring(0, space);
    if (word.isEmpty()) {
      return "! not sent: a command is one word after 'C ' (" + COMMANDS + ")";
    }
    Keyword keyword = Keyword.lookup(word);
    if (keyword == null || !keyword.isClientCommand()) {
      return "! not sent: unknown command " + word + " (commands: " + COMMANDS + ")";
    }
    switch (keyword) {
      case CH:
        return "! not sent: C CH takes a number of messages, e.g. C CH 50";
      case PM:
        return "! not sent: C PM takes no arguments - type C PM, then D <text>";
      case DM:
        return "! not sent: C DM takes no arguments - type C DM, then C <name>, then D <text>";
      case LIST:
      case EX:
        return "! not sent: C " + keyword + " takes no arguments";
      default:
        return "! not sent: " + e.reason();
    }
  }
}
