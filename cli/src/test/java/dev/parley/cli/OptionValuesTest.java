package dev.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OptionValuesTest {
  @Test
  void numbersThatWouldWrapAreRefusedNotNarrowed() {
    // -4294962296 is 5000 once narrowed to an int; -4294967295 is 1.
    BadValueException port =
        assertThrows(
            BadValueException.class, () -> OptionValues.intIn("port", "-4294962296", 0, 65535));
    assertEquals("port", port.option());
    assertEquals(
        "--port must be a whole number from 0 to 65535, got '-4294962296'", port.getMessage());
    assertThrows(
        BadValueException.class,
        () -> OptionValues.intIn("max-clients", "-4294967295", 1, Integer.MAX_VALUE));
    assertThrows(
        BadValueException.class,
        () -> OptionValues.intIn("max-clients", "4294967297", 1, Integer.MAX_VALUE));
  }

  @Test
  void valuesInRangeAreRead() throws BadValueException {
    assertEquals(0, OptionValues.intIn("port", "0", 0, 65535));
    assertEquals(65535, OptionValues.intIn("port", " 65535 ", 0, 65535));
    assertEquals(
        Long.MAX_VALUE, OptionValues.longIn("q", "9223372036854775807", 1, Long.MAX_VALUE));
  }

  @Test
  void notANumberNamesTheOption() {
    assertEquals(
        "--port must be a whole number from 0 to 65535, got 'http'",
        assertThrows(BadValueException.class, () -> OptionValues.intIn("port", "http", 0, 65535))
            .getMessage());
    assertThrows(BadValueException.class, () -> OptionValues.intIn("port", "65536", 0, 65535));
    assertThrows(
        BadValueException.class,
        () -> OptionValues.longIn("q", "99999999999999999999", 1, Long.MAX_VALUE));
  }
}
