package dev.parley.protocol;

/**
 * Splits the body of a command line (what follows {@code "C "}) into its first word and the rest.
 * Words are separated by exactly one space; the rest keeps its spaces (a password or a reason).
 */
final class Words {
  final String first;
  final String rest; // null when the line has no second word

  private Words(String first, String rest) {
    this.first = first;
    this.rest = rest;
  }

  static Words split(String body) {
    int space = body.indexOf(' ');
    if (space < 0) {
      return new Words(body, null);
    }
    return new Words(body.substring(0, space), body.substring(space + 1));
  }

  /** The rest split again; throws when there is no rest or no first word. */
  static Words required(String rest, String what) throws ProtocolException {
    if (rest == null || rest.isEmpty()) {
      throw new ProtocolException(ErrorCode.MALFORMED, "missing " + what);
    }
    Words words = split(rest);
    if (words.first.isEmpty()) {
      throw new ProtocolException(ErrorCode.MALFORMED, "missing " + what);
    }
    return words;
  }

  static long parseLong(String word, String what) throws ProtocolException {
    if (word == null || word.isEmpty() || word.length() > 18) {
      throw new ProtocolException(ErrorCode.MALFORMED, what + " is not a number: " + word);
    }
    long value = 0;
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (c < '0' || c > '9') {
        throw new ProtocolException(ErrorCode.MALFORMED, what + " is not a number: " + word);
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  static int parseInt(String word, String what) throws ProtocolException {
    long value = parseLong(word, what);
    if (value > Integer.MAX_VALUE) {
      throw new ProtocolException(ErrorCode.MALFORMED, what + " is too large: " + word);
    }
    return (int) value;
  }
}
