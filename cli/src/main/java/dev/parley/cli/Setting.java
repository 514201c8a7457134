package dev.parley.cli;

import java.util.function.BiConsumer;
import java.util.function.ObjLongConsumer;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.ParseException;

/**
 * One row of a program's option table (Redis's {@code config.c}): the long option's name, the name
 * of its argument ({@code null} for a switch), its help, its default as shown, the bounds of a
 * numeric value, and where a given value goes. The command line ({@link #option()}), the {@code
 * PARLEY_*} variables and the config file ({@link OptionLayers}), {@code --help} and {@code
 * --print-config} are all made from the rows, so an option is written down once.
 *
 * <p>The bounds are what the option's type can hold (a port is 0-65535) and are reported with the
 * option's name and the value's origin; rules between settings belong to the config record the
 * value goes into. A row whose value goes into a record that parses it itself ({@code
 * TlsConfig.from}) has no setter and is read with {@link #text}, {@link #given} or {@link #whole}.
 *
 * @param <T> what the setter fills in
 * @param name the long option, without dashes
 * @param argName the argument's name in {@code --help} ({@code PORT}), or null for a switch
 * @param help what the option does, without its default
 * @param defaultValue the default as {@code --help} and {@code --print-config} show it, or null
 *     when the option is off or unset unless given
 * @param min the smallest value of a numeric option
 * @param max the largest value of a numeric option
 * @param setter puts a given value into the target; null when another reader takes it
 */
public record Setting<T>(
    String name,
    String argName,
    String help,
    String defaultValue,
    long min,
    long max,
    Setter<T> setter) {

  /** Puts an option's text, as given, into the target; a value it cannot take throws. */
  @FunctionalInterface
  public interface Setter<T> {
    void set(T target, String text) throws ParseException;
  }

  /** A whole number from {@code min} to {@code max}, both included. */
  public static <T> Setting<T> whole(
      String name,
      String argName,
      String help,
      long defaultValue,
      long min,
      long max,
      ObjLongConsumer<T> setter) {
    return new Setting<>(
        name,
        argName,
        help,
        String.valueOf(defaultValue),
        min,
        max,
        setter == null
            ? null
            : (target, text) -> setter.accept(target, OptionValues.longIn(name, text, min, max)));
  }

  /** A whole number with no default: the feature it turns on is off unless it is given. */
  public static <T> Setting<T> wholeOrOff(
      String name, String argName, String help, long min, long max) {
    return new Setting<>(name, argName, help, null, min, max, null);
  }

  /** A value taken as text; the setter may refuse it with a {@link ParseException}. */
  public static <T> Setting<T> text(
      String name, String argName, String help, String defaultValue, Setter<T> setter) {
    return new Setting<>(name, argName, help, defaultValue, 0, 0, setter);
  }

  /** A switch: off unless given (or set to true in the environment or the config file). */
  public static <T> Setting<T> onOff(String name, String help, BiConsumer<T, Boolean> setter) {
    return new Setting<>(
        name,
        null,
        help,
        null,
        0,
        0,
        setter == null ? null : (target, text) -> setter.accept(target, true));
  }

  public boolean isSwitch() {
    return argName == null;
  }

  /** The help with the default after it, as {@code --help} prints it. */
  public String description() {
    return defaultValue == null ? help : help + " (default " + defaultValue + ")";
  }

  /** The commons-cli option this row is on the command line. */
  public Option option() {
    Option.Builder b = Option.builder().longOpt(name).desc(description());
    return isSwitch() ? b.build() : b.hasArg().argName(argName).build();
  }

  /** Whether the option was given (on any layer). */
  public boolean given(CommandLine line) {
    return line.hasOption(name);
  }

  /** The option's text as given, or null. */
  public String text(CommandLine line) {
    return line.getOptionValue(name);
  }

  /** The given value of a numeric option, checked against the row's bounds. */
  public long whole(CommandLine line) throws BadValueException {
    return OptionValues.longIn(name, text(line), min, max);
  }

  /** The value of a numeric option as given, else its default. */
  public long wholeOrDefault(CommandLine line) throws BadValueException {
    return given(line) ? whole(line) : Long.parseLong(defaultValue);
  }

  /** Puts {@code text} into the target when it is not null; a row without a setter ignores it. */
  public void apply(T target, String text) throws ParseException {
    if (text != null && setter != null) {
      setter.set(target, isSwitch() ? "true" : text);
    }
  }
}
