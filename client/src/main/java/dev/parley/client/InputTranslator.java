package dev.parley.client;

import dev.parley.protocol.ClientLine;
import dev.parley.protocol.Keyword;
import dev.parley.protocol.LineDecoder;
import dev.parley.protocol.Names;
import dev.parley.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;

/**
 * The input commands: decides what a typed line becomes. Plain text is a public message; {@code
 * /msg}, {@code /list}, {@code /history}, {@code /quit} and {@code /help} are the chat user's
 * commands; a line starting with {@code C } or {@code D } is the protocol itself and is sent
 * exactly as typed (the server judges whether it fits the moment). A line too long for the server
 * is refused here, whole, never cut. Pure, any thread.
 */
public final class InputTranslator {
  /** The commands {@link Completions} offers, in the order {@code /help} lists them. */
  static final List<String> SLASH_COMMANDS =
      List.of("/msg", "/dm", "/list", "/who", "/history", "/quit", "/help");

  static final String HELP =
      String.join(
          "\n",
          "* plain text            a message to everyone",
          "* /msg <name> <text>    a direct message (also /dm)",
          "* /list                 who is online (also /who)",
          "* /history [n]          the last n messages (default 20)",
          "* /quit                 leave (also Ctrl-D, or Ctrl-C on an empty line)",
          "* //text                a message that starts with /",
          "* C ... and D ...       protocol lines, sent exactly as typed (C PM, then D <text>)");

  /** What to do with one typed line. */
  public sealed interface Translation {}

  /**
   * Send these lines, in order.
   *
   * @param byCommand true when the person typed chat input (plain text, a {@code /} command) rather
   *     than protocol lines: the server's prompts for it are then not shown
   */
  public record Send(List<ClientLine> lines, boolean byCommand) implements Translation {}

  /**
   * Send nothing and show this text instead.
   *
   * @param refused true when the line was meant to go out and could not (a script then fails)
   */
  public record Explain(String text, boolean refused) implements Translation {}

  /** Send nothing, show nothing (an empty line). */
  public record Ignore() implements Translation {}

  private InputTranslator() {}

  public static Translation translate(String typed) {
    if (typed.isBlank()) {
      return new Ignore();
    }
    Translation translation;
    if (typed.startsWith("C ") || typed.startsWith("D ")) {
      translation = protocolLine(typed);
    } else if (typed.startsWith("//")) {
      translation = publicMessage(typed.substring(1));
    } else if (typed.startsWith("/")) {
      translation = command(typed);
    } else {
      translation = publicMessage(typed);
    }
    return translation instanceof Send send ? checkLength(send) : translation;
  }

  private static Translation publicMessage(String text) {
    return new Send(List.of(new ClientLine.PublicMessage(), new ClientLine.Text(text)), true);
  }

  private static Translation command(String typed) {
    String[] parts = typed.split(" ", 3);
    String word = parts[0];
    return switch (word) {
      case "/msg", "/dm" -> directMessage(word, parts);
      case "/list", "/who" -> new Send(List.of(new ClientLine.ListUsers()), true);
      case "/history" -> history(typed.substring(word.length()).strip());
      case "/quit", "/exit" -> new Send(List.of(new ClientLine.Exit()), true);
      case "/help" -> new Explain(HELP, false);
      default ->
          refused("unknown command " + Display.neutralise(word) + " - /help lists the commands");
    };
  }

  /** {@code /msg <name> <text>} (or {@code /dm}), split in {@code parts}. */
  private static Translation directMessage(String word, String[] parts) {
    if (parts.length < 3 || parts[2].isEmpty()) {
      return refused("usage: " + word + " <name> <text>");
    }
    if (Names.problem(parts[1]) != null) {
      return refused("'" + Display.neutralise(parts[1]) + "' is not a user name");
    }
    return new Send(
        List.of(
            new ClientLine.DirectMessage(),
            new ClientLine.Recipient(parts[1]),
            new ClientLine.Text(parts[2])),
        true);
  }

  private static Translation history(String count) {
    if (count.isEmpty()) {
      return new Send(List.of(new ClientLine.ChatHistory(OptionalInt.empty())), true);
    }
    if (count.length() <= 4 && count.chars().allMatch(c -> c >= '0' && c <= '9')) {
      int n = Integer.parseInt(count);
      if (n >= 1) {
        return new Send(List.of(new ClientLine.ChatHistory(OptionalInt.of(n))), true);
      }
    }
    return refused("usage: /history [n], n a number from 1 to 1000");
  }

  /** A line that spells a protocol line is sent as typed; one that does not is explained. */
  private static Translation protocolLine(String typed) {
    try {
      return new Send(List.of(ClientLine.parse(typed)), false);
    } catch (ProtocolException e) {
      return refused(explain(typed, e));
    }
  }

  private static Translation checkLength(Send send) {
    for (ClientLine line : send.lines()) {
      int bytes = line.format().getBytes(StandardCharsets.UTF_8).length;
      if (bytes > LineDecoder.DEFAULT_MAX_LINE_BYTES) {
        return refused(
            "the line is "
                + bytes
                + " bytes and the server takes at most "
                + LineDecoder.DEFAULT_MAX_LINE_BYTES
                + " - shorten it or split it");
      }
    }
    return send;
  }

  private static Explain refused(String why) {
    return new Explain("! not sent: " + why, true);
  }

  private static String explain(String typed, ProtocolException e) {
    String body = typed.substring(2);
    if (typed.startsWith("D ")) {
      return e.reason();
    }
    int space = body.indexOf(' ');
    String word = space < 0 ? body : body.substring(0, space);
    String commands = "C PM, C DM, C LIST, C CH [n], C EX";
    if (word.isEmpty()) {
      return "a command is one word after 'C ' (" + commands + ")";
    }
    Keyword keyword = Keyword.lookup(word);
    if (keyword == null || !keyword.isClientCommand()) {
      return "unknown command " + Display.neutralise(word) + " (commands: " + commands + ")";
    }
    return switch (keyword) {
      case CH -> "C CH takes a number of messages, e.g. C CH 50";
      case PM -> "C PM takes no arguments - type C PM, then D <text>";
      case DM -> "C DM takes no arguments - type C DM, then C <name>, then D <text>";
      case LIST, EX -> "C " + keyword + " takes no arguments";
      default -> Display.neutralise(e.reason());
    };
  }
}
