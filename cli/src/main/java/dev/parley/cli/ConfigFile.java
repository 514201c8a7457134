package dev.parley.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A settings file: one {@code key = value} per line, the keys being long option names; blank lines
 * and lines starting with {@code #} are ignored, and so is the rest of a line from a {@code #} that
 * follows a space or tab ({@code port = 5000 # the default}). A {@code #} inside a word is part of
 * the value. Only the syntax is checked here; {@link OptionLayers} checks the keys against the
 * options.
 */
final class ConfigFile {
  /** A config file is a few hundred bytes; more than this is not one. */
  static final int MAX_BYTES = 1 << 20;

  private static final String BYTE_ORDER_MARK = "\uFEFF";

  /** One setting and the line it was on (counted from 1). */
  record Entry(String key, String value, int line) {}

  private ConfigFile() {}

  /** The settings of {@code file} in file order; a malformed line is an error naming its line. */
  static Map<String, Entry> read(Path file) throws SettingsException {
    List<String> lines = text(file).lines().collect(Collectors.toList());
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

  /**
   * The file's text, at most {@link #MAX_BYTES} of it: a device or a pipe that never ends ({@code
   * --config /dev/zero}) is refused once the bound is read, not read until memory runs out. A pipe
   * that ends ({@code --config <(...)}) is read like a file. A byte order mark is dropped, so that
   * it does not become part of the first key.
   */
  private static String text(Path file) throws SettingsException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new SettingsException(
          "cannot read config file " + file + ": " + (e.getMessage() == null ? e : e.getMessage()));
    }
    if (bytes.length > MAX_BYTES) {
      throw new SettingsException(
          "config file " + file + " is larger than 1 MiB; is it the right file?");
    }
    String text;
    try {
      // A fresh decoder reports malformed input rather than replacing it.
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new SettingsException("config file " + file + " is not UTF-8 text");
    }
    return text.startsWith(BYTE_ORDER_MARK) ? text.substring(1) : text;
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
