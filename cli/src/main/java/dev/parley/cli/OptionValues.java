package dev.parley.cli;

/**
 * Reads numeric option values strictly: a whole number in the option's range, or a {@link
 * BadValueException} naming the option. Parsing as a {@code long} and then narrowing would let
 * {@code --port -4294962296} wrap round to 5000; every value is range-checked before narrowing.
 */
public final class OptionValues {
  private OptionValues() {}

  /** {@code text} as a whole number from {@code min} to {@code max}, both included. */
  public static long longIn(String option, String text, long min, long max)
      throws BadValueException {
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw outOfRange(option, text, min, max);
    }
    if (value < min || value > max) {
      throw outOfRange(option, text, min, max);
    }
    return value;
  }

  /** As {@link #longIn} for an {@code int} setting. */
  public static int intIn(String option, String text, int min, int max) throws BadValueException {
    return (int) longIn(option, text, min, max);
  }

  private static BadValueException outOfRange(String option, String text, long min, long max) {
    return new BadValueException(
        option,
        "--"
            + option
            + " must be a whole number from "
            + min
            + " to "
            + max
            + ", got '"
            + text
            + "'");
  }
}
