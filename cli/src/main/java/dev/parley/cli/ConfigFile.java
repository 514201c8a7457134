package dev.parley.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A settings file: one {@code key = value} per line, the keys being long option names; blank lines
 * and lines starting with {@code #} are ignored, and so is the rest of a line from a {@code #} that
 * follows a space or tab ({@code port = 5000 # the default}). A {@code #} inside a word is part of
 * the value. Only the syntax is checked here; {@link OptionLayers} checks the keys against the
 * options.
 */
final class ConfigFile {
  /** One setting and the line it was on (counted from 1). */
  record Entry(String key, String value, int line) {}

  private ConfigFile() {}

  /** The settings of {@code file} in file order; a malformed line is an error naming its line. */
  static Map<String, Entry> read(Path file) throws SettingsException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SettingsException(
          "cannot read config file " + file + ": " + (e.getMessage() == null ? e : e.getMessage()));
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      int number = i + 1;
      String line = withoutComment(lines.get(i)).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int equals = line.indexOf('=');
      if (equals <= 0) {
        throw new SettingsException(
            where(file, number) + ": expected 'name = value', got '" + line + "'");
      }
      String key = line.substring(0, equals).strip();
      String value = line.substring(equals + 1).strip();
      Entry earlier = entries.get(key);
      if (earlier != null) {
        throw new SettingsException(
            where(file, number) + ": " + key + " is already set on line " + earlier.line());
      }
      entries.put(key, new Entry(key, value, number));
    }
    return entries;
  }

  private static String withoutComment(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  static String where(Path file, int line) {
    return file + " line " + line;
  }
}
