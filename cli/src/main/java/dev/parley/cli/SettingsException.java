package dev.parley.cli;

import org.apache.commons.cli.ParseException;

/** A config file or environment variable that cannot be used; the message is one line. */
public final class SettingsException extends ParseException {
  private static final long serialVersionUID = 1L;

  public SettingsException(String message) {
    super(message);
  }
}
