package dev.parley.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.cli.Setting;
import dev.parley.server.ServerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The commented sample {@code src/conf/parley.conf} is the option reference, so it must agree with
 * the server's option table: every setting once, with its default, under a comment holding its
 * help; nothing that is not a setting.
 */
class SampleConfigTest {
  private static final Path SAMPLE = Path.of("src/conf/parley.conf");

  /** {@code # name = value}: a setting shown commented out, value empty when it is unset. */
  private static final Pattern SETTING = Pattern.compile("^# ([a-z][a-z0-9-]*) =(?: (.*))?$");

  /** A setting of the sample: its value and the comment block right above it, as one line. */
  private record Shown(String value, String comment) {}

  private static Map<String, Shown> sample() throws Exception {
    List<String> lines = Files.readAllLines(SAMPLE, StandardCharsets.UTF_8);
    Map<String, Shown> shown = new LinkedHashMap<>();
    List<String> block = new ArrayList<>();
    for (String line : lines) {
      Matcher m = SETTING.matcher(line);
      if (m.matches()) {
        String name = m.group(1);
        assertTrue(!shown.containsKey(name), name + " is shown twice");
        shown.put(name, new Shown(m.group(2) == null ? "" : m.group(2), String.join(" ", block)));
        block.clear();
      } else if (line.startsWith("#")) {
        block.add(line.replaceFirst("^#\\s?", "").strip());
      } else {
        assertTrue(line.isBlank(), "not a comment: " + line);
        block.clear();
      }
    }
    return shown;
  }

  @Test
  void everySettingIsShownWithItsDefaultUnderItsHelp() throws Exception {
    Map<String, Shown> shown = sample();
    for (Setting<?> row : ServerOptions.ALL) {
      Shown s = shown.get(row.name());
      assertTrue(s != null, SAMPLE + " does not show " + row.name());
      String expected =
          row.defaultValue() != null ? row.defaultValue() : row.isSwitch() ? "false" : "";
      assertEquals(expected, s.value(), "the default of " + row.name());
      assertTrue(
          s.comment().contains(row.help()),
          "the comment above " + row.name() + " does not hold its help '" + row.help() + "'");
    }
  }

  @Test
  void nothingIsShownThatIsNotASetting() throws Exception {
    List<String> names = ServerOptions.ALL.stream().map(Setting::name).toList();
    for (String name : sample().keySet()) {
      assertTrue(names.contains(name), SAMPLE + " shows " + name + ", which is no option");
    }
  }
}
