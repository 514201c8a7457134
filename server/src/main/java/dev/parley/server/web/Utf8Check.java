package dev.parley.server.web;

/**
 * Checks UTF-8 one byte at a time, across any split (a WebSocket text message may be cut inside a
 * character between frames): shortest forms only, no surrogates, nothing above U+10FFFF, as the
 * JDK's strict decoder.
 */
final class Utf8Check {
  private int needed; // continuation bytes still owed by the current character
  private int low = 0x80; // the range the next continuation byte must fall in
  private int high = 0xBF;

  void reset() {
    needed = 0;
    low = 0x80;
    high = 0xBF;
  }

  /** False when {@code b} cannot come next in valid UTF-8. */
  boolean accept(byte value) {
    int b = value & 0xFF;
    if (needed > 0) {
      if (b < low || b > high) {
        return false;
      }
      needed--;
      low = 0x80;
      high = 0xBF;
      return true;
    }
    if (b < 0x80) {
      return true;
    }
    if (b >= 0xC2 && b <= 0xDF) {
      needed = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      needed = 2;
      low = b == 0xE0 ? 0xA0 : 0x80; // no overlong three-byte forms
      high = b == 0xED ? 0x9F : 0xBF; // no surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      needed = 3;
      low = b == 0xF0 ? 0x90 : 0x80; // no overlong four-byte forms
      high = b == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
    } else {
      return false;
    }
    return true;
  }

  /** True when no character is left unfinished. */
  boolean complete() {
    return needed == 0;
  }
}
