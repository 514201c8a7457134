package dev.parley.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.cli.Setting;
import dev.parley.server.ServerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The manual's option tables (limits, web port) are an overview of what {@code parley.conf} lists
 * in full, so they must not drift from the option table: every option they name exists, and its
 * default is the one {@code --help} prints.
 */
class ManualTablesTest {
  private static final Path MANUAL = Path.of("../docs/MANUAL.md");

  /** A row of a table whose columns are option, default, what it does. */
  private static final Pattern ROW = Pattern.compile("^\\| (.*?) \\| (.*?) \\| .* \\|$");

  private static final Pattern OPTION = Pattern.compile("`--([a-z][a-z0-9-]*)");

  /** How the tables say "no default": the feature is off or the value unset until given. */
  private static final Set<String> UNSET = Set.of("off", "—", "stderr");

  @Test
  void everyOptionInTheManualsTablesHasTheDefaultTheServerHas() throws Exception {
    Map<String, Setting<?>> settings =
        ServerOptions.ALL.stream().collect(Collectors.toMap(Setting::name, Function.identity()));
    List<String> checked = new ArrayList<>();
    boolean optionTable = false;
    for (String line : Files.readAllLines(MANUAL, StandardCharsets.UTF_8)) {
      if (line.startsWith("| option | default |")) {
        optionTable = true;
        continue;
      }
      Matcher row = ROW.matcher(line);
      if (!optionTable || !row.matches()) {
        optionTable = optionTable && line.startsWith("|");
        continue;
      }
      List<String> names = new ArrayList<>();
      Matcher m = OPTION.matcher(row.group(1));
      while (m.find()) {
        names.add(m.group(1));
      }
      String defaults = row.group(2).replace("`", "").strip();
      if (names.isEmpty() || defaults.isEmpty()) {
        continue; // a fixed limit, or --config and the like, which have no default
      }
      List<String> values = List.of(defaults.split(", "));
      assertTrue(
          values.size() == 1 || values.size() == names.size(),
          "options and defaults do not pair up in " + MANUAL + ": " + line);
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        Setting<?> setting = settings.get(name);
        assertTrue(setting != null, MANUAL + " names --" + name + ", which is no server option");
        String shown = values.size() == 1 ? values.get(0) : values.get(i);
        if (setting.defaultValue() != null) {
          assertEquals(setting.defaultValue(), shown, "the default of --" + name + " in " + MANUAL);
        } else {
          assertTrue(
              UNSET.contains(shown),
              "--" + name + " has no default, " + MANUAL + " shows " + shown);
        }
        checked.add(name);
      }
    }
    assertTrue(checked.size() >= 20, "found only " + checked + " in the tables of " + MANUAL);
  }
}
