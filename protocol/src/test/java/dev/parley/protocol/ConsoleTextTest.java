package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ConsoleTextTest {

  @Test
  void terminalEscapesBecomeVisibleAndDoNothing() {
    assertEquals(
        "\\x1b]0;pwned\\x07\\x1b[2J", ConsoleText.neutralise("\u001b]0;pwned\u0007\u001b[2J"));
  }

  @Test
  void everyC0C1AndDelCharacterIsEscapedButTab() {
    assertEquals(
        "\\x00\\x0a\\x0d\\x1f\\x7f\\x80\\x9b\\x9f\ta",
        ConsoleText.neutralise("\u0000\n\r\u001f\u007f\u0080\u009b\u009f\ta"));
  }

  @Test
  void bidiControlsAreEscapedSoTextCannotTurnAround() {
    assertEquals(
        "\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c",
        ConsoleText.neutralise(
            "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"));
    assertEquals("invoice_\\u202egpj.exe", ConsoleText.neutralise("invoice_\u202egpj.exe"));
  }

  @Test
  void ordinaryUnicodeAroundTheEscapedRangesIsKept() {
    String clean =
        "a\tb é ✓ 日本 \u00a0 \u2029 \u2065 \u206a \u2029 \u202f \u200d emoji \uD83D\uDE00";
    assertSame(clean, ConsoleText.neutralise(clean));
  }
}
