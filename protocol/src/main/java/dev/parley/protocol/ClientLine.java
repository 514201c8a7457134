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

  /**
   * {@code C PM [<room>]}: the next data line is a public message. The room is the word as sent
   * (checked by the server), null when none was: {@code #main} in its old form.
   */
  record PublicMessage(String room) implements ClientLine {
    public PublicMessage() {
      this(null);
    }

    @Override
    public String format() {
      return withRoom("C PM", room);
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

  /** {@code C LIST [<room>]}: who is online, or who is in a room; room null when none named. */
  record ListUsers(String room) implements ClientLine {
    public ListUsers() {
      this(null);
    }

    @Override
    public String format() {
      return withRoom("C LIST", room);
    }
  }

  /**
   * {@code C CH [<room>] [<n>]}: chat history; no count means the protocol's default, no room
   * (null) means {@code #main} in its old form.
   */
  record ChatHistory(OptionalInt count, String room) implements ClientLine {
    public static final int DEFAULT_COUNT = 20;
    public static final int MAX_COUNT = 1000;

    public ChatHistory(OptionalInt count) {
      this(count, null);
    }

    /** The number of messages asked for: the default when none was given, capped at the maximum. */
    public int effectiveCount() {
      return Math.min(count.orElse(DEFAULT_COUNT), MAX_COUNT);
    }

    @Override
    public String format() {
      String head = withRoom("C CH", room);
      return count.isPresent() ? head + " " + count.getAsInt() : head;
    }
  }

  /**
   * {@code C CH [<room>] SINCE <seq> [<n>]}: the messages after {@code afterSeq}, oldest first, at
   * most {@code count} (the protocol's default and maximum when none is given); room null when none
   * was named.
   */
  record ChatHistorySince(long afterSeq, int count, String room) implements ClientLine {
    /** The word that tells this line from {@code C CH <n>}. */
    public static final String SINCE = "SINCE";

    public static final int DEFAULT_COUNT = ChatHistory.MAX_COUNT;

    public ChatHistorySince(long afterSeq, int count) {
      this(afterSeq, count, null);
    }

    @Override
    public String format() {
      return withRoom("C CH", room) + " " + SINCE + " " + afterSeq + " " + count;
    }
  }

  /**
   * {@code C SEQ [<room>]}: which history the server keeps, and its newest seq (for a resume); room
   * null when none was named.
   */
  record Seq(String room) implements ClientLine {
    public Seq() {
      this(null);
    }

    @Override
    public String format() {
      return withRoom("C SEQ", room);
    }
  }

  /** {@code C JOIN <room>}: join a room; the word as sent (empty when missing), checked later. */
  record Join(String room) implements ClientLine {
    @Override
    public String format() {
      return "C JOIN " + room;
    }
  }

  /** {@code C PART <room>}: leave a room; the word as sent (empty when missing). */
  record Part(String room) implements ClientLine {
    @Override
    public String format() {
      return "C PART " + room;
    }
  }

  /** {@code C ROOMS}: the rooms with someone in them. */
  record Rooms() implements ClientLine {
    @Override
    public String format() {
      return "C ROOMS";
    }
  }

  /**
   * {@code C TOPIC <room> [<text>]}: ask for a room's topic (text null) or set it (the rest of the
   * line, at most {@link #MAX_LENGTH} characters). The room is the word as sent (empty when
   * missing).
   */
  record Topic(String room, String text) implements ClientLine {
    /** Longest topic, in characters (code points). */
    public static final int MAX_LENGTH = 300;

    @Override
    public String format() {
      return text == null ? "C TOPIC " + room : "C TOPIC " + room + " " + text;
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
      // A topic is free text after its room word: only the words before it are checked.
      String checked = keyword == Keyword.TOPIC ? topicWords(stripped) : stripped;
      if (checked.contains("  ")) {
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
      case PM, LIST, SEQ -> withOptionalRoom(keyword, rest);
      case JOIN -> new Join(requiredRoom(keyword, rest));
      case PART -> new Part(requiredRoom(keyword, rest));
      case TOPIC -> parseTopic(rest);
      default -> withoutArguments(keyword, rest);
    };
  }

  /**
   * A command whose only argument is an optional room word: only a word that starts with {@code #}
   * is one (section 12), so {@code C PM x} stays 400 as before. Whether the word is a valid room
   * name is the server's question (422).
   */
  private static ClientLine withOptionalRoom(Keyword keyword, String rest)
      throws ProtocolException {
    if (rest == null) {
      return withoutArguments(keyword, null);
    }
    if (!RoomNames.isRoomWord(rest) || rest.indexOf(' ') >= 0) {
      throw new ProtocolException(
          ErrorCode.MALFORMED, keyword + " takes nothing or a #room, got: " + rest);
    }
    return switch (keyword) {
      case PM -> new PublicMessage(rest);
      case LIST -> new ListUsers(rest);
      case SEQ -> new Seq(rest);
      default -> throw new IllegalStateException("unhandled client keyword " + keyword);
    };
  }

  /**
   * The room word of JOIN or PART: a missing or invalid one is the server's 422, but a second word
   * is a line of the wrong shape, 400.
   */
  private static String requiredRoom(Keyword keyword, String rest) throws ProtocolException {
    if (rest == null) {
      return "";
    }
    if (rest.indexOf(' ') >= 0) {
      throw new ProtocolException(ErrorCode.MALFORMED, keyword + " takes one #room, got: " + rest);
    }
    return rest;
  }

  /** {@code C TOPIC <room> [<text>]}: the text is the rest of the line, at most 300 characters. */
  private static ClientLine parseTopic(String rest) throws ProtocolException {
    if (rest == null) {
      return new Topic("", null);
    }
    Words words = Words.split(rest);
    String text = words.rest == null || words.rest.isEmpty() ? null : words.rest;
    if (text != null && text.codePointCount(0, text.length()) > Topic.MAX_LENGTH) {
      throw new ProtocolException(
          ErrorCode.MALFORMED, "a topic has at most " + Topic.MAX_LENGTH + " characters");
    }
    return new Topic(words.first, text);
  }

  /** The part of a TOPIC line's body whose words must be separated by single spaces. */
  private static String topicWords(String body) {
    int first = body.indexOf(' ');
    if (first < 0) {
      return body;
    }
    int second = body.indexOf(' ', first + 1);
    // The space after the room word is included, so that an empty room word shows as two spaces.
    return second < 0 ? body : body.substring(0, second + 1);
  }

  /** {@code head} alone, or followed by the room word when one was named. */
  private static String withRoom(String head, String room) {
    return room == null ? head : head + " " + room;
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
      case ROOMS -> new Rooms();
      default -> throw new IllegalStateException("unhandled client keyword " + keyword);
    };
  }

  /**
   * {@code C CH [<room>]}, then nothing, {@code <n>} or {@code SINCE <seq> [<n>]}; trailing spaces
   * gone. Only a first word that starts with {@code #} is a room word.
   */
  private static ClientLine parseHistory(String rest) throws ProtocolException {
    String room = null;
    if (rest != null && RoomNames.isRoomWord(rest)) {
      Words roomWord = Words.split(rest);
      room = roomWord.first;
      rest = roomWord.rest;
    }
    if (rest == null) {
      return new ChatHistory(OptionalInt.empty(), room);
    }
    Words words = Words.split(rest);
    if (!words.first.equalsIgnoreCase(ChatHistorySince.SINCE)) {
      return new ChatHistory(OptionalInt.of(parseCount(rest)), room);
    }
    Words seq = Words.required(words.rest, "the seq after SINCE");
    long afterSeq = Words.parseLong(seq.first, "seq");
    int count = seq.rest == null ? ChatHistorySince.DEFAULT_COUNT : parseCount(seq.rest);
    return new ChatHistorySince(afterSeq, count, room);
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
