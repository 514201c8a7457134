package dev.parley.client;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ConsoleText;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Frame;
import dev.parley.protocol.Names;
import dev.parley.protocol.ServerLine;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The view: turns server lines and chat messages into the text a person reads, with colours when
 * the output is a terminal that wants them. No I/O and no state beyond the clock and the colour
 * choice, so any thread may use it.
 *
 * <p>Everything shown passes through {@link #neutralise} before any colour is added: names, message
 * text and reasons come from other people and must not be able to drive the reader's terminal, nor
 * turn the direction of the text around it.
 */
public final class Display {
  /** What the console and classroom clients print when they ask for a name. */
  public static final String NAME_PROMPT = "Enter a name: ";

  // SGR codes. Red is kept for errors, so no name is ever red.
  private static final String RESET = "\u001b[0m";
  private static final String DIM = "2";
  private static final String BOLD = "1";
  private static final String RED = "31";
  private static final String DM_TAG = "1;35";
  private static final String ROOM_TAG = "1;36";
  private static final String[] NAME_COLOURS = {"32", "33", "34", "36", "92", "93", "94", "96"};

  private final Clock clock;
  private final boolean colour;
  private final DateTimeFormatter timeOfDay;
  private final DateTimeFormatter dateAndTime;
  private final DateTimeFormatter dayHeading;

  /**
   * @param clock what "today" is, and the person's time zone
   * @param colour whether to add ANSI colours (a terminal that has not asked for none)
   */
  public Display(Clock clock, boolean colour) {
    this.clock = clock;
    this.colour = colour;
    ZoneId zone = clock.getZone();
    this.timeOfDay = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone);
    this.dateAndTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
    this.dayHeading = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.ENGLISH);
  }

  /**
   * The console text for {@code line}, or empty when it shows nothing: a {@code C PING}, which is
   * answered without a word, or a {@code C HELLO} with no text.
   *
   * @param me the signed-in user's name, or null before {@code C READY}
   */
  public Optional<String> render(ServerLine line, String me) {
    if (line instanceof ServerLine.Delivery d) {
      return Optional.of(message(d.message(), me, d.message().room()));
    }
    String text = describe(line);
    if (text == null) {
      return Optional.empty();
    }
    String shown = neutralise(text);
    return Optional.of(
        line instanceof ServerLine.Error || line instanceof ServerLine.Retry
            ? error(shown)
            : line instanceof ServerLine.Unknown ? shown : status(shown));
  }

  /** The console text for a line from the server that could not be decoded. */
  public String render(Frame.Fault fault) {
    return error("! skipped a line from the server: " + fault.reason());
  }

  /**
   * One chat message: {@code [HH:mm:ss] name: text} for today, with the date on other days. The
   * sender's name has its own colour; the reader's own messages are bold, DMs tagged {@code (DM)}.
   */
  public String message(ChatMessage m, String me) {
    return message(m, me, null);
  }

  /**
   * One chat message, tagged with {@code room} in a colour of its own when it is not null (a
   * message from a room other than the current one).
   */
  public String message(ChatMessage m, String me, String room) {
    Instant at = Instant.ofEpochMilli(m.timeMillis());
    String time =
        dateOf(m).equals(LocalDate.now(clock)) ? timeOfDay.format(at) : dateAndTime.format(at);
    boolean mine = isMe(m.from(), me);
    String text = neutralise(m.text());
    StringBuilder sb = new StringBuilder();
    sb.append(paint(DIM, "[" + time + "]")).append(' ');
    if (room != null) {
      sb.append(paint(ROOM_TAG, neutralise(room))).append(' ');
    }
    if (m.isPublic()) {
      sb.append(name(m.from())).append(": ").append(mine ? paint(BOLD, text) : text);
    } else {
      sb.append(paint(DM_TAG, "(DM)"))
          .append(' ')
          .append(who(m.from(), me))
          .append(" -> ")
          .append(who(m.to(), me))
          .append(": ")
          .append(mine ? paint(BOLD, text) : text);
    }
    return sb.toString();
  }

  /** The local date a message was received on, for the day-change marker. */
  public LocalDate dateOf(ChatMessage m) {
    return Instant.ofEpochMilli(m.timeMillis()).atZone(clock.getZone()).toLocalDate();
  }

  /** The marker shown before the first message of another day. */
  public String dayMarker(LocalDate day) {
    return status("--- " + dayHeading.format(day) + " ---");
  }

  /** A status line (joins, leaves, markers), dim. {@code text} must already be neutralised. */
  public String status(String text) {
    return paint(DIM, text);
  }

  /** An error line, red. {@code text} must already be neutralised. */
  public String error(String text) {
    return paint(RED, text);
  }

  private String who(String name, String me) {
    return isMe(name, me) ? paint(BOLD, "you") : name(name);
  }

  /** A name in its own colour: the same name always gets the same one, whatever its case. */
  private String name(String name) {
    String shown = neutralise(name);
    return paint(
        NAME_COLOURS[Math.floorMod(Names.key(name).hashCode(), NAME_COLOURS.length)], shown);
  }

  private String paint(String sgr, String text) {
    return colour ? "\u001b[" + sgr + "m" + text + RESET : text;
  }

  private static boolean isMe(String name, String me) {
    return me != null && Names.key(name).equals(Names.key(me));
  }

  private static String describe(ServerLine line) {
    if (line instanceof ServerLine.Hello h) {
      return h.text().isEmpty() ? null : "* " + h.text();
    } else if (line instanceof ServerLine.PasswordRequest p) {
      return p.kind() == ServerLine.PasswordKind.NEW
          ? "* new account: choose a password"
          : "* this name has an account: enter its password";
    } else if (line instanceof ServerLine.Ready r) {
      return "Signed in as " + r.name() + " (" + count(r.usersOnline(), "user") + " online)";
    } else if (line instanceof ServerLine.Retry r) {
      return retry(r);
    } else if (line instanceof ServerLine.Prompt p) {
      return p.kind() == ServerLine.PromptKind.TEXT
          ? "Type your message as: D <text>"
          : "Type the recipient as: C <name>";
    } else if (line instanceof ServerLine.SentPublic s) {
      return "[sent "
          + (s.room() == null ? "" : s.room() + " ")
          + "#"
          + s.seq()
          + " to "
          + count(s.recipients(), "user")
          + "]";
    } else if (line instanceof ServerLine.SentDirect s) {
      return "[sent DM #" + s.seq() + " to " + s.to() + "]";
    } else if (line instanceof ServerLine.Users u) {
      String head = u.room() == null ? "Online (" : "In " + u.room() + " (";
      return list(head, u.names());
    } else if (line instanceof ServerLine.History h) {
      String in = h.room() == null ? "" : " in " + h.room();
      return h.count() == 0
          ? "--- no messages" + in + " ---"
          : "--- last " + count(h.count(), "message") + in + " ---";
    } else if (line instanceof ServerLine.Seq seq) {
      return "* history "
          + (seq.room() == null ? "" : "of " + seq.room() + " ")
          + seq.epoch()
          + ", last seq "
          + seq.lastSeq();
    } else if (line instanceof ServerLine.Joined j) {
      return "* you are in " + j.room() + " (" + count(j.members(), "user") + " here)";
    } else if (line instanceof ServerLine.Parted p) {
      return "* you left " + p.room();
    } else if (line instanceof ServerLine.Rooms r) {
      return r.rooms().isEmpty()
          ? "* no rooms besides #main - /join #name opens one"
          : list("Rooms (", r.rooms());
    } else if (line instanceof ServerLine.Topic t) {
      return t.text() == null
          ? "* " + t.room() + " has no topic"
          : "* topic of " + t.room() + ": " + t.text() + " (set by " + t.setter() + ")";
    } else if (line instanceof ServerLine.Part p) {
      return "* " + p.name() + " left " + p.room();
    } else if (line instanceof ServerLine.Ping) {
      return null;
    } else if (line instanceof ServerLine.Pong p) {
      return p.token() == null ? "* pong" : "* pong " + p.token();
    } else if (line instanceof ServerLine.Bye b) {
      return b.reason().isEmpty()
          ? "* server closed the connection"
          : "* server closed the connection: " + b.reason();
    } else if (line instanceof ServerLine.Join j) {
      return "* " + j.name() + (j.room() == null ? " joined" : " joined " + j.room());
    } else if (line instanceof ServerLine.Leave l) {
      return l.reason() == null || l.reason().isEmpty()
          ? "* " + l.name() + " left"
          : "* " + l.name() + " left (" + l.reason() + ")";
    } else if (line instanceof ServerLine.Error e) {
      return "! error " + e.code().code() + ": " + reason(e.code(), e.reason());
    } else if (line instanceof ServerLine.Unknown u) {
      return u.line();
    }
    throw new IllegalArgumentException("unhandled server line " + line.getClass());
  }

  /** {@code head}, the number of words, and the words: {@code Online (2): alice bob}. */
  private static String list(String head, List<String> words) {
    StringBuilder sb = new StringBuilder(head).append(words.size()).append("):");
    for (String word : words) {
      sb.append(' ').append(word);
    }
    return sb.toString();
  }

  private static String retry(ServerLine.Retry r) {
    String why = r.code().code() + " " + reason(r.code(), r.reason());
    if (r.code() == ErrorCode.NAME_TAKEN || r.code() == ErrorCode.INVALID_NAME) {
      return nameNotAccepted(why);
    }
    return "! sign-in refused (" + why + ")";
  }

  /**
   * The line shown when a name is refused, by the server or before sending it; {@code why} is not
   * yet {@link #neutralise neutralised}.
   */
  static String nameNotAccepted(String why) {
    return "! name not accepted (" + why + ") - choose another name";
  }

  private static String reason(ErrorCode code, String reason) {
    return reason.isBlank() ? code.defaultReason() : reason;
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /**
   * {@code text} made safe to print: control characters and bidi controls written as visible
   * escapes ({@link ConsoleText#neutralise}, shared with the classroom server's console).
   */
  public static String neutralise(String text) {
    return ConsoleText.neutralise(text);
  }
}
