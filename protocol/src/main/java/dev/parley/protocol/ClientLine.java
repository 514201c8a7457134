package dev.parley.protocol;

import java.util.OptionalInt;

/**
 * Every line a client sends, typed. {@link #parse} reads the wire form and {@link #format} writes
 * it; both leave out the line end. Parsing checks syntax only: whether a line fits the session's
 * state, or whether a name is acceptable, is the server's decision.
 */
public sealed interface ClientLine {

  /** The wire form, without the line end. */
  String format();

  /** {@code C NICK <name>}; the name is the rest of the line, checked by the server. */
  record Nick(String name) implements ClientLine {
    @Override
    public String format() {
      return "C NICK " + name;
    }
  }

  /** {@code C PASS <password>}; the password is the rest of the line, spaces included. */
  record Pass(String password) implements ClientLine {
    @Override
    public String format() {
      return "C PASS " + password;
    }

    @Override
    public String toString() {
      return "Pass[password=<hidden>]"; // never print a password, even in a debug log
    }
  }

  /** {@code C PM}: the next data line is a public message. */
  record PublicMessage() implements ClientLine {
    @Override
    public String format() {
      return "C PM";
    }
  }

  /** {@code C DM}: the next command line names the recipient, then a data line is the text. */
  record DirectMessage() implements ClientLine {
    @Override
    public String format() {
      return "C DM";
    }
  }

  /** {@code C <name>}: a word that is no client keyword; a recipient while a DM is pending. */
  record Recipient(String name) implements ClientLine {
    @Override
    public String format() {
      return "C " + name;
    }
  }

  /** {@code C LIST}: who is online. */
  record ListUsers() implements ClientLine {
    @Override
    public String format() {
      return "C LIST";
    }
  }

  /** {@code C CH [<n>]}: chat history; no count means the protocol's default. */
  record ChatHistory(OptionalInt count) implements ClientLine {
    public static final int DEFAULT_COUNT = 20;
    public static final int MAX_COUNT = 1000;

    /** The number of messages asked for: the default when none was given, capped at the maximum. */
    public int effectiveCount() {
      return Math.min(count.orElse(DEFAULT_COUNT), MAX_COUNT);
    }

    @Override
    public String format() {
      return count.isPresent() ? "C CH " + count.getAsInt() : "C CH";
    }
  }

  /** {@code C PING [<token>]}; token null when absent. */
  record Ping(String token) implements ClientLine {
    @Override
    public String format() {
      return token == null ? "C PING" : "C PING " + token;
    }
  }

  /**
   * {@code C PONG [<token>]}: the answer to the server's {@code C PING}; token null when absent.
   */
  record Pong(String token) implements ClientLine {
    @Override
    public String format() {
      return token == null ? "C PONG" : "C PONG " + token;
    }
  }

  /** {@code C EX}: leave. */
  record Exit() implements ClientLine {
    @Override
    public String format() {
      return "C EX";
    }
  }

  /** {@code D <text>}: the text of a pending PM or DM. */
  record Text(String text) implements ClientLine {
    @Override
    public String format() {
      return "D " + text;
    }
  }

  /** Reads one line as received (no line end); throws 400 for anything that is not parley/1. */
  static ClientLine parse(String line) throws ProtocolException {
    if (line.startsWith("D ")) {
      return new Text(line.substring(2));
    }
    if (!line.startsWith("C ")) {
      throw new ProtocolException(
          ErrorCode.MALFORMED, "a line starts with \"C \" (command) or \"D \" (data)");
    }
    Words words = Words.split(line.substring(2));
    if (words.first.isEmpty()) {
      throw new ProtocolException(ErrorCode.MALFORMED, "a command line needs a keyword");
    }
    Keyword keyword = Keyword.lookup(words.first);
    if (keyword == null || !keyword.isClientCommand()) {
      if (words.rest != null) {
        throw new ProtocolException(ErrorCode.MALFORMED, "unknown command " + words.first);
      }
      return new Recipient(words.first);
    }
    String rest = words.rest;
    switch (keyword) {
      case NICK:
        return new Nick(rest == null ? "" : rest);
      case PASS:
        return new Pass(rest == null ? "" : rest);
      case PING:
        return new Ping(emptyToNull(rest));
      case PONG:
        return new Pong(emptyToNull(rest));
      case CH:
        return rest == null
            ? new ChatHistory(OptionalInt.empty())
            : new ChatHistory(OptionalInt.of(parseCount(rest)));
      default:
        break;
    }
    if (rest != null && !rest.isBlank()) {
      throw new ProtocolException(
          ErrorCode.MALFORMED, keyword + " takes no arguments, got: " + rest);
    }
    switch (keyword) {
      case PM:
        return new PublicMessage();
      case DM:
        return new DirectMessage();
      case LIST:
        return new ListUsers();
      case EX:
        return new Exit();
      default:
        throw new IllegalStateException("unhandled client keyword " + keyword);
    }
  }

  private static int parseCount(String word) throws ProtocolException {
    String trimmed = word.strip();
    boolean digits = !trimmed.isEmpty() && trimmed.chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digits) {
      throw new ProtocolException(
          ErrorCode.MALFORMED, "CH takes a count of messages, got: " + word);
    }
    // More than the maximum counts as the maximum, however many digits it has. Leading zeros do not
    // make a number larger, so they are not counted as digits.
    int significant = 0;
    while (significant < trimmed.length() - 1 && trimmed.charAt(significant) == '0') {
      significant++;
    }
    if (trimmed.length() - significant > 9) {
      return ChatHistory.MAX_COUNT;
    }
    return Math.min(Integer.parseInt(trimmed.substring(significant)), ChatHistory.MAX_COUNT);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
