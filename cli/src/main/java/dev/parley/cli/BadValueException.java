package dev.parley.cli;

import org.apache.commons.cli.ParseException;

/**
 * A value that one option cannot take. It names the option, so that a value that came from the
 * environment or a config file can be reported with where it came from ({@link
 * OptionLayers#explain}).
 */
public final class BadValueException extends ParseException {
  private static final long serialVersionUID = 1L;

  private final String option;

  /**
   * @param option the long option name, without dashes
   * @param message one line saying what is wrong; it names the option itself
   */
  public BadValueException(String option, String message) {
    super(message);
    this.option = option;
  }

  public String option() {
    return option;
  }
}
