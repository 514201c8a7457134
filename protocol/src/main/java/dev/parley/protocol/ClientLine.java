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

  /**
   * {@code C CH SINCE <seq> [<n>]}: the messages after {@code afterSeq}, oldest first, at most
   * {@code count} (the protocol's default and maximum when none is given).
   */
  record ChatHistorySince(long afterSeq, int count) implements ClientLine {
    /** The word that tells this line from {@code C CH <n>}. */
    public static final String SINCE = "SINCE";

    public static final int DEFAULT_COUNT = ChatHistory.MAX_COUNT;

    @Override
    public String format() {
      return "C CH " + SINCE + " " + afterSeq + " " + count;
    }
  }

  /** {@code C SEQ}: which history the server keeps, and its newest seq (for a resume). */
  record Seq() implements ClientLine {
    @Override
    public String format() {
      return "C SEQ";
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
    String body = line.substring(2);
    Words words = Words.split(body);
    if (words.first.isEmpty()) {
      throw new ProtocolException(ErrorCode.MALFORMED, "a command line needs a keyword");
    }
    Keyword keyword = Keyword.lookup(words.first);
    if (keyword != Keyword.PASS && keyword != Keyword.PING && keyword != Keyword.PONG) {
      // Spaces after the last word mean nothing; only a password or a token keeps them all.
      String stripped = stripTrailingSpaces(body);
      if (stripped.contains("  ")) {
        // An empty word is a syntax error, found here so that it is 400 in every state: left
        // to the server, C NICK's name would be judged by state first (412 once signed in).
        throw new ProtocolException(
            ErrorCode.MALFORMED, "command words are separated by one space: " + stripped);
      }
      words = Words.split(stripped);
    }
    if (keyword == null || !keyword.isClientCommand()) {
      if (words.rest != null) {
        throw new ProtocolException(ErrorCode.MALFORMED, "unknown command " + words.first);
      }
      return new Recipient(words.first);
    }
    String rest = words.rest;
    return switch (keyword) {
      case NICK -> new Nick(rest == null ? "" : rest);
      case PASS -> new Pass(rest == null ? "" : rest);
      case PING -> new Ping(emptyToNull(rest));
      case PONG -> new Pong(emptyToNull(rest));
      case CH -> parseHistory(rest);
      default -> withoutArguments(keyword, rest);
    };
  }

  /** A command that takes no arguments: {@code rest} must be null. */
  private static ClientLine withoutArguments(Keyword keyword, String rest)
      throws ProtocolException {
    if (rest != null) {
      throw new ProtocolException(
          ErrorCode.MALFORMED, keyword + " takes no arguments, got: " + rest);
    }
    return switch (keyword) {
      case PM -> new PublicMessage();
      case DM -> new DirectMessage();
      case LIST -> new ListUsers();
      case EX -> new Exit();
      case SEQ -> new Seq();
      default -> throw new IllegalStateException("unhandled client keyword " + keyword);
    };
  }

  /** {@code C CH}, {@code C CH <n>} or {@code C CH SINCE <seq> [<n>]}, trailing spaces gone. */
  private static ClientLine parseHistory(String rest) throws ProtocolException {
    if (rest == null) {
      return new ChatHistory(OptionalInt.empty());
    }
    Words words = Words.split(rest);
    if (!words.first.equalsIgnoreCase(ChatHistorySince.SINCE)) {
      return new ChatHistory(OptionalInt.of(parseCount(rest)));
    }
    Words seq = Words.required(words.rest, "the seq after SINCE");
    long afterSeq = Words.parseLong(seq.first, "seq");
    int count = seq.rest == null ? ChatHistorySince.DEFAULT_COUNT : parseCount(seq.rest);
    return new ChatHistorySince(afterSeq, count);
  }

  private static int parseCount(String word) throws ProtocolException {
    String trimmed = word;
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

  private static String stripTrailingSpaces(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') {
      end--;
    }
    return s.substring(0, end);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
