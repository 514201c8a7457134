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

  /** {@code C SENT PM <seq> <recipients>}: a public message was stored and delivered. */
  record SentPublic(long seq, int recipients) implements ServerLine {
    @Override
    public String format() {
      return "C SENT PM " + seq + " " + recipients;
    }
  }

  /** {@code C SENT DM <seq> <name>}: a direct message was stored and delivered. */
  record SentDirect(long seq, String to) implements ServerLine {
    @Override
    public String format() {
      return "C SENT DM " + seq + " " + to;
    }
  }

  /** {@code C USERS <n> <name> ...}: who is online. */
  record Users(List<String> names) implements ServerLine {
    public Users {
      names = List.copyOf(names);
    }

    @Override
    public String format() {
      StringBuilder sb = new StringBuilder(16 + names.size() * 12);
      sb.append("C USERS ").append(names.size());
      for (String name : names) {
        sb.append(' ').append(name);
      }
      return sb.toString();
    }
  }

  /** {@code C HISTORY <k>}: k delivered-message data lines follow, oldest first. */
  record History(int count) implements ServerLine {
    @Override
    public String format() {
      return "C HISTORY " + count;
    }
  }

  /**
   * {@code C SEQ <epoch> <last-seq>}: the answer to a client's {@code C SEQ}. The epoch names one
   * history (seq values compare only within one epoch); last-seq is the newest seq stored, 0 when
   * none is.
   */
  record Seq(String epoch, long lastSeq) implements ServerLine {
    /** Longest epoch word. */
    public static final int MAX_EPOCH_LENGTH = 64;

    public Seq {
      if (!isEpoch(epoch)) {
        throw new IllegalArgumentException("not an epoch: " + epoch);
      }
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
      return "C SEQ " + epoch + " " + lastSeq;
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

  /** {@code C JOIN <name>}: another user signed in. */
  record Join(String name) implements ServerLine {
    @Override
    public String format() {
      return "C JOIN " + name;
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
      sb.append("D ").append(m.kind()).append(' ').append(m.seq()).append(' ');
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
      case HISTORY -> new History(Words.parseInt(rest, "history count"));
      case SEQ -> parseSeq(rest);
      case PING -> new Ping(rest == null || rest.isEmpty() ? null : rest);
      case PONG -> new Pong(rest == null || rest.isEmpty() ? null : rest);
      case BYE -> new Bye(rest == null ? "" : rest);
      case JOIN -> new Join(Words.required(rest, "name").first);
      case LEAVE -> {
        Words w = Words.required(rest, "name");
        yield new Leave(w.first, w.rest);
      }
      default -> new Unknown(line);
    };
  }

  private static ServerLine parseSent(String rest) throws ProtocolException {
    Words kind = Words.required(rest, "message kind");
    Words seq = Words.required(kind.rest, "seq");
    long seqValue = Words.parseLong(seq.first, "seq");
    Words target = Words.required(seq.rest, "recipient");
    return switch (parseEnum(MessageKind.class, kind.first, "message kind")) {
      case PM -> new SentPublic(seqValue, Words.parseInt(target.first, "recipients"));
      case DM -> new SentDirect(seqValue, target.first);
    };
  }

  private static ServerLine parseSeq(String rest) throws ProtocolException {
    Words epoch = Words.required(rest, "epoch");
    if (!Seq.isEpoch(epoch.first)) {
      throw new ProtocolException(ErrorCode.MALFORMED, "not an epoch: " + epoch.first);
    }
    return new Seq(epoch.first, Words.parseLong(epoch.rest, "last seq"));
  }

  private static ServerLine parseUsers(String rest) throws ProtocolException {
    Words count = Words.required(rest, "user count");
    int n = Words.parseInt(count.first, "user count");
    if (n == 0) {
      return new Users(Collections.emptyList());
    }
    String remaining = count.rest;
    // The count is the peer's claim, not a size to trust: every name takes at least two characters
    // (a space and one more), so the line itself bounds how many names can follow.
    int fit = remaining == null ? 0 : (remaining.length() + 1) / 2;
    List<String> names = new ArrayList<>(Math.min(n, fit));
    for (int i = 0; i < n; i++) {
      Words name = Words.required(remaining, "user name");
      names.add(name.first);
      remaining = name.rest;
    }
    return new Users(names);
  }

  private static ServerLine parseDelivery(String body) throws ProtocolException {
    Words kind = Words.required(body, "message kind");
    MessageKind messageKind = parseEnum(MessageKind.class, kind.first, "message kind");
    Words seq = Words.required(kind.rest, "seq");
    Words time = Words.required(seq.rest, "time");
    Words from = Words.required(time.rest, "sender");
    long seqValue = Words.parseLong(seq.first, "seq");
    long millis = Timestamps.parse(time.first);
    if (messageKind == MessageKind.PM) {
      String text = from.rest == null ? "" : from.rest;
      return new Delivery(ChatMessage.publicMessage(seqValue, millis, from.first, text));
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
