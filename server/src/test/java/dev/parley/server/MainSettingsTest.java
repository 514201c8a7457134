package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.parley.cli.BadValueException;
import dev.parley.cli.OptionLayers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.ParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's settings through every layer (command line, {@code PARLEY_*} environment, {@code
 * --config} file, defaults), and the range of every numeric option.
 */
class MainSettingsTest {
  @TempDir Path dir;

  private static ServerOptions.Settings settings(Map<String, String> env, String... args)
      throws ParseException {
    return ServerOptions.settings(layers(env, args));
  }

  private static OptionLayers layers(Map<String, String> env, String... args)
      throws ParseException {
    return OptionLayers.resolve(ServerOptions.options(), args, env, ServerOptions.POSITIONAL);
  }

  private static final List<String> CLASSROOM_ONLY = List.of("quiet-ms", "pair-timeout");

  /** Each numeric option with a value that wraps round into range once narrowed to an int. */
  private static final Map<String, String> WRAPPING =
      Map.ofEntries(
          Map.entry("port", "-4294962296"), // 5000 as an int
          Map.entry("max-clients", "-4294967295"), // 1
          Map.entry("max-line", "-4294959104"), // 8192
          Map.entry("max-queue", "-1"),
          Map.entry("history-on-join", "-4294967276"), // 20
          Map.entry("max-rate", "-4294967276"),
          Map.entry("rate-burst", "-4294967196"), // 100
          Map.entry("idle-timeout", "-1"),
          Map.entry("metrics-port", "-4294958296"), // 9000
          Map.entry("log-keep-days", "-4294967282"), // 14
          Map.entry("log-max-mb", "-4294967196"));

  @Test
  void everyNumericOptionRefusesValuesThatWouldWrap() {
    for (Option o : ServerOptions.options().getOptions()) {
      String description = o.getDescription();
      boolean numeric =
          o.hasArg()
              && List.of("PORT", "N", "BYTES", "SECONDS", "MILLIS", "MB", "DAYS")
                  .contains(o.getArgName());
      if (!numeric || CLASSROOM_ONLY.contains(o.getLongOpt())) {
        continue; // MainClassroomOptionsTest tries these in classroom mode
      }
      // -4294967295 is 1 as an int: in range for most options, so only a range check refuses it.
      String value = WRAPPING.getOrDefault(o.getLongOpt(), "-4294967295");
      BadValueException e =
          assertThrows(
              BadValueException.class,
              () -> settings(Map.of(), "--" + o.getLongOpt() + "=" + value),
              o.getLongOpt() + " " + description);
      assertTrue(
          e.getMessage().startsWith("--" + o.getLongOpt() + " must be a whole number from "),
          e.getMessage());
      assertEquals(o.getLongOpt(), e.option());
    }
  }

  @Test
  void theEnvironmentAndAConfigFileSetAnyOption() throws Exception {
    Path file = dir.resolve("parley.conf");
    Files.writeString(
        file,
        "# the server of room 101\nmax-clients = 300\nport = 6000\naccounts = on\n"
            + "metrics-port = 9100\nlog-level = debug\n",
        StandardCharsets.UTF_8);
    ServerOptions.Settings s =
        settings(
            Map.of("PARLEY_PORT", "6001", "PARLEY_HISTORY_ON_JOIN", "5"),
            "--config",
            file.toString(),
            "--host",
            "0.0.0.0");
    assertEquals(
        ServerConfig.defaults().toBuilder()
            .host("0.0.0.0")
            .port(6001)
            .maxClients(300)
            .historyOnJoin(5)
            .accounts(true)
            .build(),
        s.config());
    assertEquals(9100, s.metricsPort());
    assertEquals(Level.DEBUG, s.log().level());
    assertNull(s.log().file());
  }

  @Test
  void aBadValueInTheFileNamesTheFileAndLine() throws Exception {
    Path file = dir.resolve("parley.conf");
    Files.writeString(file, "\nmax-clients = -4294967295\n", StandardCharsets.UTF_8);
    OptionLayers layers = layers(Map.of(), "--config", file.toString());
    BadValueException e =
        assertThrows(BadValueException.class, () -> ServerOptions.settings(layers));
    assertEquals(
        file
            + " line 2: --max-clients must be a whole number from 1 to 2147483647,"
            + " got '-4294967295'",
        layers.explain(e));
  }

  @Test
  void theLogLevelMustBeALevel() {
    BadValueException e =
        assertThrows(BadValueException.class, () -> settings(Map.of("PARLEY_LOG_LEVEL", "LOUD")));
    assertEquals("log-level", e.option());
  }

  @Test
  void printConfigShowsEachSettingAndItsOrigin() throws Exception {
    List<String> lines =
        layers(Map.of("PARLEY_MAX_CLIENTS", "50"), "--port", "6000", "--accounts")
            .describe(ServerOptions.ALL);
    for (String[] expected :
        new String[][] {
          {"host = 127.0.0.1", "default"},
          {"port = 6000", "command line"},
          {"max-clients = 50", "environment PARLEY_MAX_CLIENTS"},
          {"accounts = true", "command line"},
          {"max-queue = 1048576", "default"},
        }) {
      String line = String.format("%-36s # %s", expected[0], expected[1]);
      assertTrue(lines.contains(line), line + " missing from " + lines);
    }
    assertTrue(lines.contains("# metrics-port is not set"), lines.toString());
  }
}
