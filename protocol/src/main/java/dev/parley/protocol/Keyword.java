package dev.parley.protocol;

/**
 * The command words of parley/1, in both directions. Received keywords are matched without regard
 * to case; sent ones are always upper case (the enum name).
 */
public enum Keyword {
  // Sent by clients; these are also the words no user may take as a name ({@link Names}).
  NICK(true),
  PASS(true),
  PM(true),
  DM(true),
  LIST(true),
  CH(true),
  PING(true),
  PONG(true),
  EX(true),
  SEQ(true), // also sent by the server, as the answer to C SEQ
  // Rooms (section 12); JOIN, ROOMS and TOPIC are also sent by the server, PART as a notice.
  JOIN(true),
  PART(true),
  ROOMS(true),
  TOPIC(true),
  // Sent by the server only.
  HELLO(false),
  PASSWORD(false),
  READY(false),
  RETRY(false),
  PROMPT(false),
  SENT(false),
  USERS(false),
  HISTORY(false),
  BYE(false),
  LEAVE(false),
  JOINED(false),
  PARTED(false),
  ERR(false);

  private static final Keyword[] VALUES = values();

  private final boolean clientCommand;

  Keyword(boolean clientCommand) {
    this.clientCommand = clientCommand;
  }

  /**
   * True for the words a client sends as commands: also the keywords that section 2 forbids as user
   * names.
   */
  public boolean isClientCommand() {
    return clientCommand;
  }

  /**
   * The keyword spelled by {@code word} in any ASCII case, or null. Allocates nothing. Only ASCII
   * letters fold: {@link String#equalsIgnoreCase} would also read the dotless {@code ı} as {@code
   * i} and the long {@code ſ} as {@code s}.
   */
  public static Keyword lookup(String word) {
    for (Keyword k : VALUES) {
      if (equalsAsciiIgnoreCase(k.name(), word)) {
        return k;
      }
    }
    return null;
  }

  private static boolean equalsAsciiIgnoreCase(String upper, String word) {
    if (word == null || upper.length() != word.length()) {
      return false;
    }
    for (int i = 0; i < upper.length(); i++) {
      char c = word.charAt(i);
      if (c >= 'a' && c <= 'z') {
        c = (char) (c - ('a' - 'A'));
      }
      if (c != upper.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
