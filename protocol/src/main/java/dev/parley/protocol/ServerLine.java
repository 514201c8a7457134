package dev.parley.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every line the server sends, typed. {@link #format} writes the wire form and {@link #parse} reads
 * it back (the client's side); both leave out the line end. A line from a newer server that this
 * version does not know parses as {@link Unknown} rather than failing.
 */
public sealed interface ServerLine {
  /** The protocol name and version in {@code C HELLO}. */
  String VERSION = "parley/1";

  String format();

  /** {@code C HELLO parley/1 <text>}: the first line on every connection. */
  record Hello(String version, String text) implements ServerLine {
    @Override
    public String format() {
      return text.isEmpty() ? "C HELLO " + version : "C HELLO " + version + " " + text;
    }
  }

  /** Whether {@code C PASS} will create an account or must match one. */
  enum PasswordKind {
    NEW,
    EXISTING
  }

  /** {@code C PASSWORD NEW|EXISTING}: send {@code C PASS} next (accounts only). */
  record PasswordRequest(PasswordKind kind) implements ServerLine {
    @Override
    public String format() {
      return "C PASSWORD " + kind;
    }
  }

  /** {@code C READY <name> <users-online>}: signed in; the count includes the new user. */
  record Ready(String name, int usersOnline) implements ServerLine {
    @Override
    public String format() {
      return "C READY " + name + " " + usersOnline;
    }
  }

  /** {@code C RETRY <code> <reason>}: sign-in refused; try {@code C NICK} again. */
  record Retry(ErrorCode code, String reason) implements ServerLine {
    @Override
    public String format() {
      return "C RETRY " + code.code() + " " + reason;
    }
  }

  /** What a {@code C PROMPT} asks the person to type next. */
  enum PromptKind {
    TEXT,
    RECIPIENT
  }

  /** {@code C PROMPT TEXT|RECIPIENT}: a hint for people typing by hand. */
  record Prompt(PromptKind kind) implements ServerLine {
    @Override
    public String format() {
      return "C PROMPT " + kind;
    }
  }

  /**
   * {@code C SENT PM [<room>] <seq> <recipients>}: a public message was stored and delivered; room
   * null for {@code #main} in its old form.
   */
  record SentPublic(long seq, int recipients, String room) implements ServerLine {
    public SentPublic(long seq, int recipients) {
      this(seq, recipients, null);
    }

    @Override
    public String format() {
      return withRoom("C SENT PM", room) + " " + seq + " " + recipients;
    }
  }

  /** {@code C SENT DM <seq> <name>}: a direct message was stored and delivered. */
  record SentDirect(long seq, String to) implements ServerLine {
    @Override
    public String format() {
      return "C SENT DM " + seq + " " + to;
    }
  }

  /**
   * {@code C USERS [<room>] <n> <name> ...}: who is online, or who is in a room; room null for
   * {@code #main} in its old form.
   */
  record Users(List<String> names, String room) implements ServerLine {
    public Users {
      names = List.copyOf(names);
    }

    public Users(List<String> names) {
      this(names, null);
    }

    @Override
    public String format() {
      StringBuilder sb = new StringBuilder(16 + names.size() * 12);
      sb.append(withRoom("C USERS", room)).append(' ').append(names.size());
      for (String name : names) {
        sb.append(' ').append(name);
      }
      return sb.toString();
    }
  }

  /**
   * {@code C HISTORY [<room>] <k>}: k delivered-message data lines follow, oldest first; room null
   * for {@code #main} in its old form.
   */
  record History(int count, String room) implements ServerLine {
    public History(int count) {
      this(count, null);
    }

    @Override
    public String format() {
      return withRoom("C HISTORY", room) + " " + count;
    }
  }

  /**
   * {@code C SEQ <epoch> <last-seq>}: the answer to a client's {@code C SEQ}. The epoch names one
   * history (seq values compare only within one epoch); last-seq is the newest seq stored, 0 when
   * none is.
   */
  record Seq(String epoch, long lastSeq, String room) implements ServerLine {
    /** Longest epoch word. */
    public static final int MAX_EPOCH_LENGTH = 64;

    public Seq {
      if (!isEpoch(epoch)) {
        throw new IllegalArgumentException("not an epoch: " + epoch);
      }
    }

    /** The answer about {@code #main} in its old form. */
    public Seq(String epoch, long lastSeq) {
      this(epoch, lastSeq, null);
    }

    /** True for a word of 1 to 64 characters {@code [A-Za-z0-9_-]}. */
    public static boolean isEpoch(String word) {
      if (word == null || word.isEmpty() || word.length() > MAX_EPOCH_LENGTH) {
        return false;
      }
      for (int i = 0; i < word.length(); i++) {
        char c = word.charAt(i);
        boolean ok =
            (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '-';
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String format() {
      return withRoom("C SEQ", room) + " " + epoch + " " + lastSeq;
    }
  }

  /**
   * {@code C JOINED <room> <epoch> <last-seq> <members>}: the answer to {@code C JOIN}, or,
   * unasked, news that the room's history started again.
   */
  record Joined(String room, String epoch, long lastSeq, int members) implements ServerLine {
    public Joined {
      if (!Seq.isEpoch(epoch)) {
        throw new IllegalArgumentException("not an epoch: " + epoch);
      }
    }

    @Override
    public String format() {
      return "C JOINED " + room + " " + epoch + " " + lastSeq + " " + members;
    }
  }

  /** {@code C PARTED <room>}: the answer to {@code C PART}. */
  record Parted(String room) implements ServerLine {
    @Override
    public String format() {
      return "C PARTED " + room;
    }
  }

  /** {@code C ROOMS <n> <room> ...}: the rooms other than {@code #main} with someone in them. */
  record Rooms(List<String> rooms) implements ServerLine {
    public Rooms {
      rooms = List.copyOf(rooms);
    }

    @Override
    public String format() {
      StringBuilder sb = new StringBuilder(16 + rooms.size() * 12);
      sb.append("C ROOMS ").append(rooms.size());
      for (String room : rooms) {
        sb.append(' ').append(room);
      }
      return sb.toString();
    }
  }

  /**
   * {@code C TOPIC <room> [<setter> <text>]}: a room's topic, as asked or as just set; setter and
   * text null when the room has none.
   */
  record Topic(String room, String setter, String text) implements ServerLine {
    public Topic {
      if ((setter == null) != (text == null)) {
        throw new IllegalArgumentException("a topic has both a setter and a text, or neither");
      }
    }

    @Override
    public String format() {
      return setter == null ? "C TOPIC " + room : "C TOPIC " + room + " " + setter + " " + text;
    }
  }

  /** {@code C PING <token>}: answer {@code C PONG <token>} or be dropped. */
  record Ping(String token) implements ServerLine {
    @Override
    public String format() {
      return token == null ? "C PING" : "C PING " + token;
    }
  }

  /** {@code C PONG [<token>]}: the answer to a client's {@code C PING}. */
  record Pong(String token) implements ServerLine {
    @Override
    public String format() {
      return token == null ? "C PONG" : "C PONG " + token;
    }
  }

  /** {@code C BYE <reason>}: the server is closing this connection. */
  record Bye(String reason) implements ServerLine {
    @Override
    public String format() {
      return "C BYE " + reason;
    }
  }

  /**
   * {@code C JOIN [<room>] <name>}: another user signed in (room null), or joined a room. The room
   * word starts with {@code #}, which no name can: that tells the two notices apart.
   */
  record Join(String name, String room) implements ServerLine {
    public Join(String name) {
      this(name, null);
    }

    @Override
    public String format() {
      return withRoom("C JOIN", room) + " " + name;
    }
  }

  /** {@code C PART <room> <name>}: another user left a room (but is still signed in). */
  record Part(String name, String room) implements ServerLine {
    @Override
    public String format() {
      return "C PART " + room + " " + name;
    }
  }

  /** {@code C LEAVE <name> [<reason>]}: another user left or was dropped; reason may be null. */
  record Leave(String name, String reason) implements ServerLine {
    @Override
    public String format() {
      return reason == null ? "C LEAVE " + name : "C LEAVE " + name + " " + reason;
    }
  }

  /** {@code C ERR <code> <reason>}: the last line was not handled. */
  record Error(ErrorCode code, String reason) implements ServerLine {
    public static Error of(ErrorCode code) {
      return new Error(code, code.defaultReason());
    }

    @Override
    public String format() {
      return "C ERR " + code.code() + " " + reason;
    }
  }

  /** {@code D PM ...} or {@code D DM ...}: a delivered (or replayed) chat message. */
  record Delivery(ChatMessage message) implements ServerLine {
    @Override
    public String format() {
      ChatMessage m = message;
      StringBuilder sb = new StringBuilder(48 + m.from().length() + m.text().length());
      sb.append("D ").append(m.kind()).append(' ');
      if (m.room() != null) {
        sb.append(m.room()).append(' ');
      }
      sb.append(m.seq()).append(' ');
      sb.append(Timestamps.format(m.timeMillis())).append(' ').append(m.from()).append(' ');
      if (m.to() != null) {
        sb.append(m.to()).append(' ');
      }
      return sb.append(m.text()).toString();
    }
  }

  /** A line this version does not know, kept as it came. */
  record Unknown(String line) implements ServerLine {
    @Override
    public String format() {
      return line;
    }
  }

  /** Reads one line as received (no line end); throws for a malformed line of a known kind. */
  static ServerLine parse(String line) throws ProtocolException {
    if (line.startsWith("D ")) {
      return parseDelivery(line.substring(2));
    }
    if (!line.startsWith("C ")) {
      throw new ProtocolException(
          ErrorCode.MALFORMED, "a line starts with \"C \" (command) or \"D \" (data)");
    }
    Words words = Words.split(line.substring(2));
    Keyword keyword = Keyword.lookup(words.first);
    if (keyword == null) {
      return new Unknown(line);
    }
    String rest = words.rest;
    return switch (keyword) {
      case HELLO -> {
        Words w = Words.required(rest, "protocol version");
        yield new Hello(w.first, w.rest == null ? "" : w.rest);
      }
      case PASSWORD -> new PasswordRequest(parseEnum(PasswordKind.class, rest, "password kind"));
      case READY -> {
        Words w = Words.required(rest, "name");
        yield new Ready(w.first, Words.parseInt(w.rest, "users online"));
      }
      case RETRY -> {
        Words w = Words.required(rest, "code");
        yield new Retry(parseCode(w.first), w.rest == null ? "" : w.rest);
      }
      case ERR -> {
        Words w = Words.required(rest, "code");
        yield new Error(parseCode(w.first), w.rest == null ? "" : w.rest);
      }
      case PROMPT -> new Prompt(parseEnum(PromptKind.class, rest, "prompt kind"));
      case SENT -> parseSent(rest);
      case USERS -> parseUsers(rest);
      case HISTORY -> {
        RoomWord r = RoomWord.take(rest);
        yield new History(Words.parseInt(r.rest, "history count"), r.room);
      }
      case SEQ -> parseSeq(rest);
      case JOINED -> parseJoined(rest);
      case PARTED -> new Parted(RoomWord.valid(Words.required(rest, "room").first));
      case ROOMS -> new Rooms(parseList(rest, "room count", "room"));
      case TOPIC -> parseTopic(rest);
      case PART -> {
        Words room = Words.required(rest, "room");
        yield new Part(Words.required(room.rest, "name").first, RoomWord.valid(room.first));
      }
      case PING -> new Ping(rest == null || rest.isEmpty() ? null : rest);
      case PONG -> new Pong(rest == null || rest.isEmpty() ? null : rest);
      case BYE -> new Bye(rest == null ? "" : rest);
      case JOIN -> {
        RoomWord r = RoomWord.take(rest);
        yield new Join(Words.required(r.rest, "name").first, r.room);
      }
      case LEAVE -> {
        Words w = Words.required(rest, "name");
        yield new Leave(w.first, w.rest);
      }
      default -> new Unknown(line);
    };
  }

  private static ServerLine parseSent(String rest) throws ProtocolException {
    Words kind = Words.required(rest, "message kind");
    MessageKind messageKind = parseEnum(MessageKind.class, kind.first, "message kind");
    RoomWord r =
        messageKind == MessageKind.PM ? RoomWord.take(kind.rest) : RoomWord.none(kind.rest);
    Words seq = Words.required(r.rest, "seq");
    long seqValue = Words.parseLong(seq.first, "seq");
    Words target = Words.required(seq.rest, "recipient");
    return switch (messageKind) {
      case PM -> new SentPublic(seqValue, Words.parseInt(target.first, "recipients"), r.room);
      case DM -> new SentDirect(seqValue, target.first);
    };
  }

  private static ServerLine parseSeq(String rest) throws ProtocolException {
    RoomWord r = RoomWord.take(rest);
    Words epoch = Words.required(r.rest, "epoch");
    return new Seq(epoch(epoch.first), Words.parseLong(epoch.rest, "last seq"), r.room);
  }

  private static ServerLine parseJoined(String rest) throws ProtocolException {
    Words room = Words.required(rest, "room");
    Words epoch = Words.required(room.rest, "epoch");
    Words last = Words.required(epoch.rest, "last seq");
    return new Joined(
        RoomWord.valid(room.first),
        epoch(epoch.first),
        Words.parseLong(last.first, "last seq"),
        Words.parseInt(last.rest, "members"));
  }

  private static ServerLine parseTopic(String rest) throws ProtocolException {
    Words room = Words.required(rest, "room");
    if (room.rest == null || room.rest.isEmpty()) {
      return new Topic(RoomWord.valid(room.first), null, null);
    }
    Words setter = Words.split(room.rest);
    return new Topic(
        RoomWord.valid(room.first), setter.first, setter.rest == null ? "" : setter.rest);
  }

  private static String epoch(String word) throws ProtocolException {
    if (!Seq.isEpoch(word)) {
      throw new ProtocolException(ErrorCode.MALFORMED, "not an epoch: " + word);
    }
    return word;
  }

  private static ServerLine parseUsers(String rest) throws ProtocolException {
    RoomWord r = RoomWord.take(rest);
    return new Users(parseList(r.rest, "user count", "user name"), r.room);
  }

  /** {@code <n> <word> ...}: a count, then that many words. */
  private static List<String> parseList(String rest, String countWhat, String wordWhat)
      throws ProtocolException {
    Words count = Words.required(rest, countWhat);
    int n = Words.parseInt(count.first, countWhat);
    if (n == 0) {
      return Collections.emptyList();
    }
    String remaining = count.rest;
    // The count is the peer's claim, not a size to trust: every word takes at least two characters
    // (a space and one more), so the line itself bounds how many words can follow.
    int fit = remaining == null ? 0 : (remaining.length() + 1) / 2;
    List<String> words = new ArrayList<>(Math.min(n, fit));
    for (int i = 0; i < n; i++) {
      Words word = Words.required(remaining, wordWhat);
      words.add(word.first);
      remaining = word.rest;
    }
    return words;
  }

  /** {@code head} alone, or followed by the room word when there is one. */
  private static String withRoom(String head, String room) {
    return room == null ? head : head + " " + room;
  }

  private static ServerLine parseDelivery(String body) throws ProtocolException {
    Words kind = Words.required(body, "message kind");
    MessageKind messageKind = parseEnum(MessageKind.class, kind.first, "message kind");
    RoomWord r =
        messageKind == MessageKind.PM ? RoomWord.take(kind.rest) : RoomWord.none(kind.rest);
    Words seq = Words.required(r.rest, "seq");
    Words time = Words.required(seq.rest, "time");
    Words from = Words.required(time.rest, "sender");
    long seqValue = Words.parseLong(seq.first, "seq");
    long millis = Timestamps.parse(time.first);
    if (messageKind == MessageKind.PM) {
      String text = from.rest == null ? "" : from.rest;
      return new Delivery(ChatMessage.roomMessage(r.room, seqValue, millis, from.first, text));
    }
    Words to = Words.required(from.rest, "recipient");
    String text = to.rest == null ? "" : to.rest;
    return new Delivery(ChatMessage.directMessage(seqValue, millis, from.first, to.first, text));
  }

  private static ErrorCode parseCode(String word) throws ProtocolException {
    ErrorCode code = ErrorCode.of(Words.parseInt(word, "error code"));
    if (code == null) {
      throw new ProtocolException(ErrorCode.MALFORMED, "unknown error code " + word);
    }
    return code;
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String word, String what)
      throws ProtocolException {
    if (word != null) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(word)) {
          return e;
        }
      }
    }
    throw new ProtocolException(ErrorCode.MALFORMED, "unknown " + what + ": " + word);
  }
}
