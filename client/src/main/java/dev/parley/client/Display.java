package dev.parley.client;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Frame;
import dev.parley.protocol.Names;
import dev.parley.protocol.ServerLine;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Turns server lines into the text a person reads. Pure: no I/O, no state beyond the time zone, so
 * any thread may use it.
 *
 * <p>Everything shown passes through {@link #neutralise}: names, message text and reasons come from
 * other people and must not be able to drive the reader's terminal.
 */
public final class Display {
  /** What the console and classroom clients print when they ask for a name. */
  public static final String NAME_PROMPT = "Enter a name: ";

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final DateTimeFormatter clock;

  /** Times are shown as HH:mm:ss in {@code zone} (the person's own, outside tests). */
  public Display(ZoneId zone) {
    this.clock = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone);
  }

  /**
   * The console text for {@code line}, or empty when it shows nothing: a {@code C PING}, which is
   * answered without a word, or a {@code C HELLO} with no text.
   *
   * @param me the signed-in user's name, or null before {@code C READY}
   */
  public Optional<String> render(ServerLine line, String me) {
    String text = describe(line, me);
    return text == null ? Optional.empty() : Optional.of(neutralise(text));
  }

  /** The console text for a line from the server that could not be decoded. */
  public String render(Frame.Fault fault) {
    return "! skipped a line from the server: " + fault.reason();
  }

  private String describe(ServerLine line, String me) {
    if (line instanceof ServerLine.Delivery d) {
      return message(d.message(), me);
    } else if (line instanceof ServerLine.Hello h) {
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
      return "[sent #" + s.seq() + " to " + count(s.recipients(), "user") + "]";
    } else if (line instanceof ServerLine.SentDirect s) {
      return "[sent DM #" + s.seq() + " to " + s.to() + "]";
    } else if (line instanceof ServerLine.Users u) {
      StringBuilder sb = new StringBuilder("Online (").append(u.names().size()).append("):");
      for (String name : u.names()) {
        sb.append(' ').append(name);
      }
      return sb.toString();
    } else if (line instanceof ServerLine.History h) {
      return h.count() == 0
          ? "--- no messages ---"
          : "--- last " + count(h.count(), "message") + " ---";
    } else if (line instanceof ServerLine.Ping) {
      return null;
    } else if (line instanceof ServerLine.Pong p) {
      return p.token() == null ? "* pong" : "* pong " + p.token();
    } else if (line instanceof ServerLine.Bye b) {
      return b.reason().isEmpty()
          ? "* server closed the connection"
          : "* server closed the connection: " + b.reason();
    } else if (line instanceof ServerLine.Join j) {
      return "* " + j.name() + " joined";
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

  private String message(ChatMessage m, String me) {
    String time = "[" + clock.format(Instant.ofEpochMilli(m.timeMillis())) + "] ";
    if (m.isPublic()) {
      return time + m.from() + ": " + m.text();
    }
    return time + "(DM) " + who(m.from(), me) + " -> " + who(m.to(), me) + ": " + m.text();
  }

  private static String who(String name, String me) {
    return me != null && Names.key(name).equals(Names.key(me)) ? "you" : name;
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
   * {@code text} with every control character except TAB written as a visible {@code \xNN} escape:
   * C0 (U+0000..U+001F), DEL (U+007F) and C1 (U+0080..U+009F). ESC {@code [2J} becomes the six
   * characters {@code \x1b[2J}, which clear nobody's screen.
   */
  public static String neutralise(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F);
      if (!control) {
        if (sb != null) {
          sb.append(c);
        }
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      sb.append('\\').append('x').append(HEX[c >> 4]).append(HEX[c & 0xF]);
    }
    return sb == null ? text : sb.toString();
  }
}
