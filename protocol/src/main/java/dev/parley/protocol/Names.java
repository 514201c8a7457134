package dev.parley.protocol;

import java.util.Locale;

/** The user-name rule of section 2 and the case-folded key under which names are unique. */
public final class Names {
  public static final int MAX_LENGTH = 32;

  private Names() {}

  /**
   * Null when {@code name} may be used, otherwise the reason it may not (for {@code C RETRY 422}).
   */
  public static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "a name is required";
    }
    if (name.length() > MAX_LENGTH) {
      return "a name has at most " + MAX_LENGTH + " characters";
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isNameChar(name.charAt(i))) {
        return "a name uses only A-Z a-z 0-9 _ -";
      }
    }
    Keyword keyword = Keyword.lookup(name);
    if (keyword != null && keyword.isClientCommand()) { // section 2: commands are no names
      return name + " is a protocol keyword";
    }
    return null;
  }

  public static boolean isValid(String name) {
    return problem(name) == null;
  }

  /** The lookup key: names compare without regard to case ("Alice" and "alice" are one user). */
  public static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** True for the characters a user name (and a room name after its {@code #}) may hold. */
  static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '-';
  }
}
