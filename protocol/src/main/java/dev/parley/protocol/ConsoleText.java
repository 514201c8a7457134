package dev.parley.protocol;

/**
 * Text from other people made safe to print on a terminal: whatever a client sent can then neither
 * drive the reader's terminal (clear it, retitle it, move the cursor) nor turn the direction of the
 * surrounding text around. Shared by the console client and the classroom server's console. Pure;
 * any thread.
 */
public final class ConsoleText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private ConsoleText() {}

  /**
   * {@code text} with every character that could act on a terminal written as a visible escape, and
   * everything else, TAB included, unchanged:
   *
   * <ul>
   *   <li>control characters C0 (U+0000..U+001F but TAB), DEL (U+007F) and C1 (U+0080..U+009F) as
   *       {@code \xNN}: ESC {@code [2J} becomes the six characters {@code \x1b[2J};
   *   <li>Unicode's bidi controls (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) as
   *       <code>&#92;uNNNN</code>: a right-to-left override shows as <code>&#92;u202e</code>
   *       instead of reversing what follows it.
   * </ul>
   */
  public static String neutralise(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = isControl(c);
      if (!control && !isBidiControl(c)) {
        if (sb != null) {
          sb.append(c);
        }
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (control) {
        sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      } else {
        sb.append("\\u")
            .append(HEX[c >> 12])
            .append(HEX[(c >> 8) & 0xF])
            .append(HEX[(c >> 4) & 0xF])
            .append(HEX[c & 0xF]);
      }
    }
    return sb == null ? text : sb.toString();
  }

  private static boolean isControl(char c) {
    return (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F);
  }

  /** The characters of Unicode's Bidi_Control property. */
  private static boolean isBidiControl(char c) {
    return c == '\u061c'
        || c == '\u200e'
        || c == '\u200f'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
