package dev.parley.client;

import dev.parley.protocol.ClientLine;
import dev.parley.protocol.Keyword;
import dev.parley.protocol.LineDecoder;
import dev.parley.protocol.Names;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.RoomNames;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The input commands: decides what a typed line becomes. Plain text is a public message to the
 * current room; {@code /msg}, {@code /list}, {@code /history}, the room commands ({@code /join},
 * {@code /part}, {@code /rooms}, {@code /topic}, {@code /switch}), {@code /quit} and {@code /help}
 * are the chat user's commands; a line starting with {@code C } or {@code D } is the protocol
 * itself and is sent exactly as typed (the server judges whether it fits the moment). A line too
 * long for the server is refused here, whole, never cut. Pure, any thread.
 */
public final class InputTranslator {
  /** The commands {@link Completions} offers, in the order {@code /help} lists them. */
  static final List<String> SLASH_COMMANDS =
      List.of(
          "/msg",
          "/dm",
          "/list",
          "/who",
          "/history",
          "/join",
          "/part",
          "/rooms",
          "/topic",
          "/switch",
          "/go",
          "/quit",
          "/help");

  /** The commands after which Tab completes a joined room's name. */
  static final List<String> ROOM_COMMANDS = List.of("/join", "/part", "/topic", "/switch", "/go");

  static final String HELP =
      String.join(
          "\n",
          "* plain text            a message to the current room (shown in the prompt)",
          "* /msg <name> <text>    a direct message (also /dm)",
          "* /list                 who is in the current room (also /who)",
          "* /history [n]          the current room's last n messages (default 20)",
          "* /join #room           join a room and make it the current one",
          "* /part [#room]         leave a room (default the current one)",
          "* /switch #room         make a joined room the current one (also /go)",
          "* /rooms                the rooms with someone in them",
          "* /topic [text]         show, or set, the current room's topic",
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

  /** Send nothing; make the joined room {@code room} (as the server spelled it) the current one. */
  public record Switch(String room) implements Translation {}

  /** Send nothing, show nothing (an empty line). */
  public record Ignore() implements Translation {}

  private InputTranslator() {}

  /** {@link #translate(String, JoinedRooms)} for a connection in {@code #main} only. */
  public static Translation translate(String typed) {
    return translate(typed, new JoinedRooms());
  }

  /**
   * What {@code typed} becomes.
   *
   * @param rooms the rooms joined and the current one (plain text, /list and /history apply to it)
   */
  static Translation translate(String typed, JoinedRooms rooms) {
    if (typed.isBlank()) {
      return new Ignore();
    }
    Translation translation;
    if (typed.startsWith("C ") || typed.startsWith("D ")) {
      translation = protocolLine(typed);
    } else if (typed.startsWith("//")) {
      translation = publicMessage(typed.substring(1), rooms);
    } else if (typed.startsWith("/")) {
      translation = command(typed, rooms);
    } else {
      translation = publicMessage(typed, rooms);
    }
    return translation instanceof Send send ? checkLength(send) : translation;
  }

  private static Translation publicMessage(String text, JoinedRooms rooms) {
    return new Send(
        List.of(new ClientLine.PublicMessage(rooms.currentWord()), new ClientLine.Text(text)),
        true);
  }

  private static Translation command(String typed, JoinedRooms rooms) {
    String[] parts = typed.split(" ", 3);
    String word = parts[0];
    String rest = typed.substring(word.length()).strip();
    return switch (word) {
      case "/msg", "/dm" -> directMessage(word, parts);
      case "/list", "/who" -> send(new ClientLine.ListUsers(rooms.currentWord()));
      case "/history" -> history(rest, rooms.currentWord());
      case "/join" -> roomCommand(word, rest, ClientLine.Join::new);
      case "/part" ->
          roomCommand(word, rest.isEmpty() ? rooms.current() : rest, ClientLine.Part::new);
      case "/switch", "/go" -> switchRoom(word, rest, rooms);
      case "/rooms" -> send(new ClientLine.Rooms());
      case "/topic" -> send(new ClientLine.Topic(rooms.current(), rest.isEmpty() ? null : rest));
      case "/quit", "/exit" -> new Send(List.of(new ClientLine.Exit()), true);
      case "/help" -> new Explain(HELP, false);
      default ->
          refused("unknown command " + Display.neutralise(word) + " - /help lists the commands");
    };
  }

  private static Send send(ClientLine line) {
    return new Send(List.of(line), true);
  }

  /** A command whose one argument is a room name, checked here so a typo is not sent. */
  private static Translation roomCommand(
      String word, String room, Function<String, ClientLine> line) {
    if (room.isEmpty() || room.indexOf(' ') >= 0) {
      return refused("usage: " + word + " #room");
    }
    String problem = RoomNames.problem(room);
    if (problem != null) {
      return refused("'" + Display.neutralise(room) + "': " + problem);
    }
    return send(line.apply(room));
  }

  private static Translation switchRoom(String word, String room, JoinedRooms rooms) {
    Translation checked = roomCommand(word, room, ClientLine.Join::new);
    if (checked instanceof Explain) {
      return checked;
    }
    String joined = rooms.find(room);
    if (joined == null) {
      return refused(
          "you are not in " + room + " - /join " + room + " first (/rooms lists the rooms)");
    }
    return new Switch(joined);
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

  private static Translation history(String count, String room) {
    if (count.isEmpty()) {
      return send(new ClientLine.ChatHistory(OptionalInt.empty(), room));
    }
    if (count.length() <= 4 && count.chars().allMatch(c -> c >= '0' && c <= '9')) {
      int n = Integer.parseInt(count);
      if (n >= 1) {
        return send(new ClientLine.ChatHistory(OptionalInt.of(n), room));
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
