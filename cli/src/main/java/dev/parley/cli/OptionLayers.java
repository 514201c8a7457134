package dev.parley.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * Every long option of a program, taken from the first of: the command line, an environment
 * variable {@code PARLEY_<OPTION>} ({@code --max-clients} is {@code PARLEY_MAX_CLIENTS}), the file
 * named by {@code --config} (or {@code PARLEY_CONFIG}), and the option's default. It works over the
 * program's commons-cli {@link Options}, so an option added there is configurable everywhere
 * without further code: the values from the environment and the file are turned back into command
 * line arguments and parsed by the same parser, and the program reads one {@link CommandLine}. The
 * program makes its options from its {@link Setting} rows, and {@link #describe} takes the defaults
 * from the same rows.
 *
 * <p>Options without a value are switched on by {@code true}, {@code yes}, {@code on} or {@code 1}
 * and left off by {@code false}, {@code no}, {@code off} or {@code 0}. Any thread; immutable once
 * resolved.
 */
public final class OptionLayers {
  public static final String CONFIG = "config";
  public static final String PRINT_CONFIG = "print-config";
  public static final String ENVIRONMENT_PREFIX = "PARLEY_";

  /** Options that say what to do rather than how to run: they are not settings. */
  private static final Set<String> ACTIONS = Set.of("help", "version", CONFIG, PRINT_CONFIG);

  private static final Set<String> TRUE = Set.of("true", "yes", "on", "1");
  private static final Set<String> FALSE = Set.of("false", "no", "off", "0");

  private static final String COMMAND_LINE = "command line";
  private static final String DEFAULT = "default";

  /** A value that was given, and where it came from. */
  private record Given(String value, String origin) {}

  private final Options options;
  private final CommandLine merged;
  private final Map<String, Given> settings; // option name -> value and origin, when set

  private OptionLayers(Options options, CommandLine merged, Map<String, Given> settings) {
    this.options = options;
    this.merged = merged;
    this.settings = settings;
  }

  /**
   * Adds {@code --config FILE} and {@code --print-config} to a program's options; call once when
   * building them.
   */
  public static void addOptions(Options options) {
    options.addOption(
        Option.builder()
            .longOpt(CONFIG)
            .hasArg()
            .argName("FILE")
            .desc(
                "read settings from FILE, one 'option = value' a line; "
                    + ENVIRONMENT_PREFIX
                    + "<OPTION> variables override it, the command line overrides both")
            .build());
    options.addOption(
        Option.builder()
            .longOpt(PRINT_CONFIG)
            .desc("print the settings in effect and where each came from, then exit")
            .build());
  }

  /**
   * Resolves the settings.
   *
   * @param args the command line
   * @param env the environment ({@code System.getenv()}; tests give their own)
   * @param positional the options that positional arguments stand for, in order ({@code host},
   *     {@code port}): a positional argument counts as given on the command line
   * @throws ParseException for a bad command line, config file or environment variable; the message
   *     is one line and names the source
   */
  public static OptionLayers resolve(
      Options options, String[] args, Map<String, String> env, List<String> positional)
      throws ParseException {
    CommandLine commandLine = new DefaultParser().parse(options, args);
    Map<String, Given> settings = new LinkedHashMap<>();
    for (Option o : commandLine.getOptions()) {
      settings.put(o.getLongOpt(), new Given(o.hasArg() ? o.getValue() : "true", COMMAND_LINE));
    }
    List<String> arguments = commandLine.getArgList();
    for (int i = 0; i < arguments.size() && i < positional.size(); i++) {
      settings.putIfAbsent(positional.get(i), new Given(arguments.get(i), COMMAND_LINE));
    }

    Map<String, Given> fromEnvironment = new HashMap<>();
    for (Option o : options.getOptions()) {
      String name = o.getLongOpt();
      String variable = environmentName(name);
      String value = env.get(variable);
      if (name != null && !ACTIONS.contains(name) && value != null && !value.isEmpty()) {
        fromEnvironment.put(name, new Given(value, "environment " + variable));
      }
    }
    Map<String, Given> fromFile = new HashMap<>();
    String configFile = commandLine.getOptionValue(CONFIG, env.get(environmentName(CONFIG)));
    if (configFile != null && !configFile.isEmpty()) {
      Path file = Path.of(configFile);
      for (ConfigFile.Entry e : ConfigFile.read(file).values()) {
        String where = ConfigFile.where(file, e.line());
        if (ACTIONS.contains(e.key()) || !options.hasLongOption(e.key())) {
          throw new SettingsException(where + ": unknown setting '" + e.key() + "'");
        }
        fromFile.put(e.key(), new Given(e.value(), where));
      }
    }

    List<String> mergedArgs = new ArrayList<>(List.of(args));
    for (Option o : options.getOptions()) {
      String name = o.getLongOpt();
      if (name == null || settings.containsKey(name)) {
        continue;
      }
      Given s = fromEnvironment.getOrDefault(name, fromFile.get(name));
      if (s == null) {
        continue;
      }
      if (o.hasArg()) {
        if (s.value().isEmpty()) {
          throw new SettingsException(s.origin() + ": " + name + " needs a value");
        }
        mergedArgs.add("--" + name + "=" + s.value());
      } else if (flag(name, s)) {
        mergedArgs.add("--" + name);
      }
      settings.put(name, s);
    }
    CommandLine merged = new DefaultParser().parse(options, mergedArgs.toArray(new String[0]));
    return new OptionLayers(options, merged, settings);
  }

  /** {@code max-clients} becomes {@code PARLEY_MAX_CLIENTS}. */
  public static String environmentName(String option) {
    return option == null
        ? null
        : ENVIRONMENT_PREFIX + option.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static boolean flag(String name, Given s) throws SettingsException {
    String v = s.value().toLowerCase(Locale.ROOT);
    if (TRUE.contains(v)) {
      return true;
    }
    if (FALSE.contains(v)) {
      return false;
    }
    throw new SettingsException(
        s.origin() + ": " + name + " is true or false, got '" + s.value() + "'");
  }

  /** The command line with the environment's and the file's settings added. */
  public CommandLine commandLine() {
    return merged;
  }

  /** Where an option's value came from: the command line, a variable, a file line, or default. */
  public String origin(String option) {
    Given s = settings.get(option);
    return s == null ? DEFAULT : s.origin();
  }

  /**
   * The message of a bad value, prefixed with where the value came from when that was not the
   * command line ({@code /etc/parley.conf line 4: --port must be ...}).
   */
  public String explain(BadValueException e) {
    String origin = origin(e.option());
    return origin.equals(COMMAND_LINE) || origin.equals(DEFAULT)
        ? e.getMessage()
        : origin + ": " + e.getMessage();
  }

  /**
   * One line per setting, in the options' order, in the config file's syntax: {@code name = value #
   * origin}. An option nobody set shows its default from {@code table}, the program's option rows.
   */
  public List<String> describe(List<? extends Setting<?>> table) {
    Map<String, String> defaults = new HashMap<>();
    for (Setting<?> row : table) {
      if (row.defaultValue() != null) {
        defaults.put(row.name(), row.defaultValue());
      }
    }
    List<String> lines = new ArrayList<>();
    for (Option o : options.getOptions()) {
      String name = o.getLongOpt();
      if (name == null || ACTIONS.contains(name)) {
        continue;
      }
      Given s = settings.get(name);
      String value;
      if (s != null) {
        value = s.value();
      } else if (!o.hasArg()) {
        value = "false";
      } else {
        value = defaults.getOrDefault(name, "");
      }
      if (s == null && value.isEmpty()) {
        lines.add("# " + name + " is not set");
        continue;
      }
      String setting = name + " = " + value;
      lines.add(
          String.format("%-36s # %s", setting, s == null ? DEFAULT : s.origin()).stripTrailing());
    }
    return lines;
  }
}
