package dev.parley.protocol;

/**
 * The command words of parley/1, in both directions. Received keywords are matched without regard
 * to case; sent ones are always upper case (the enum name).
 */
public enum Keyword {
  // Sent by clients; these are also the words no user may take as a name.
  NICK(true),
  PASS(true),
  PM(true),
  DM(true),
  LIST(true),
  CH(true),
  PING(true),
  PONG(true),
  EX(true),
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
  JOIN(false),
  LEAVE(false),
  ERR(false);

  private static final Keyword[] VALUES = values();

  private final boolean reservedName;

  Keyword(boolean reservedName) {
    this.reservedName = reservedName;
  }

  /** True for the keywords that section 2 forbids as user names. */
  public boolean isReservedName() {
    return reservedName;
  }

  /** True for the words a client sends as commands (the same set as the reserved names). */
  public boolean isClientCommand() {
    return reservedName;
  }

  /** The keyword spelled by {@code word} in any case, or null. Allocates nothing. */
  public static Keyword lookup(String word) {
    for (Keyword k : VALUES) {
      if (k.name().equalsIgnoreCase(word)) {
        return k;
      }
    }
    return null;
  }
}
