package dev.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionLayersTest {
  @TempDir Path dir;

  /** A program's option rows in the servers' style; the layers know nothing more about them. */
  private static final List<Setting<Object>> TABLE =
      List.of(
          Setting.text("host", "HOST", "address", "127.0.0.1", null),
          Setting.whole("port", "PORT", "port", 5000, 0, 65535, null),
          Setting.whole("max-clients", "N", "connections", 10000, 1, Integer.MAX_VALUE, null),
          Setting.text("data-dir", "DIR", "folder", "./parley-data", null),
          Setting.onOff("accounts", "accounts", null));

  private static Options options() {
    Options o = new Options();
    TABLE.forEach(row -> o.addOption(row.option()));
    o.addOption(Option.builder().longOpt("help").build());
    OptionLayers.addOptions(o);
    return o;
  }

  private Path config(String... lines) throws IOException {
    Path file = dir.resolve("parley.conf");
    Files.write(file, List.of(lines), StandardCharsets.UTF_8);
    return file;
  }

  private static OptionLayers resolve(Map<String, String> env, String... args)
      throws ParseException {
    return OptionLayers.resolve(options(), args, env, List.of("host", "port"));
  }

  @Test
  void commandLineBeatsEnvironmentWhichBeatsTheFileWhichBeatsTheDefault() throws Exception {
    Path file =
        config(
            "# a comment",
            "",
            "port = 6000",
            "max-clients = 300",
            "data-dir = /var/lib/parley#1   # a comment after a space",
            "accounts = yes");
    OptionLayers layers =
        resolve(
            Map.of("PARLEY_MAX_CLIENTS", "200", "PARLEY_PORT", "6001"),
            "--config",
            file.toString(),
            "--port",
            "6002");
    assertEquals("6002", layers.commandLine().getOptionValue("port"));
    assertEquals("command line", layers.origin("port"));
    assertEquals("200", layers.commandLine().getOptionValue("max-clients"));
    assertEquals("environment PARLEY_MAX_CLIENTS", layers.origin("max-clients"));
    assertEquals("/var/lib/parley#1", layers.commandLine().getOptionValue("data-dir"));
    assertEquals(file + " line 5", layers.origin("data-dir"));
    assertTrue(layers.commandLine().hasOption("accounts"));
    assertFalse(layers.commandLine().hasOption("host"));
    assertEquals("default", layers.origin("host"));
  }

  @Test
  void theConfigFileCanBeNamedInTheEnvironment() throws Exception {
    Path file = config("max-clients = 7");
    OptionLayers layers = resolve(Map.of("PARLEY_CONFIG", file.toString()));
    assertEquals("7", layers.commandLine().getOptionValue("max-clients"));
  }

  @Test
  void aPositionalArgumentCountsAsTheCommandLine() throws Exception {
    OptionLayers layers = resolve(Map.of("PARLEY_HOST", "10.0.0.1"), "0.0.0.0");
    assertFalse(layers.commandLine().hasOption("host"), "the positional host is used");
    assertEquals("command line", layers.origin("host"));
  }

  @Test
  void aFlagCanBeTurnedOffByTheEnvironmentOverTheFile() throws Exception {
    Path file = config("accounts = true");
    OptionLayers layers = resolve(Map.of("PARLEY_ACCOUNTS", "off"), "--config", file.toString());
    assertFalse(layers.commandLine().hasOption("accounts"));
    assertEquals("environment PARLEY_ACCOUNTS", layers.origin("accounts"));
  }

  @Test
  void anUnknownKeyNamesTheFileAndLine() throws IOException {
    Path file = config("port = 6000", "max-clent = 5");
    ParseException e =
        assertThrows(ParseException.class, () -> resolve(Map.of(), "--config", file.toString()));
    assertEquals(file + " line 2: unknown setting 'max-clent'", e.getMessage());
  }

  @Test
  void actionsAreNotSettings() throws IOException {
    Path file = config("help = true");
    ParseException e =
        assertThrows(ParseException.class, () -> resolve(Map.of(), "--config", file.toString()));
    assertEquals(file + " line 1: unknown setting 'help'", e.getMessage());
  }

  @Test
  void malformedLinesRepeatsAndBadFlagsAreOneLineErrors() throws IOException {
    Path noEquals = config("port 6000");
    assertEquals(
        noEquals + " line 1: expected 'name = value', got 'port 6000'",
        assertThrows(ParseException.class, () -> resolve(Map.of(), "--config", noEquals.toString()))
            .getMessage());
    Path twice = config("port = 1", "port = 2");
    assertEquals(
        twice + " line 2: port is already set on line 1",
        assertThrows(ParseException.class, () -> resolve(Map.of(), "--config", twice.toString()))
            .getMessage());
    assertEquals(
        "environment PARLEY_ACCOUNTS: accounts is true or false, got 'maybe'",
        assertThrows(ParseException.class, () -> resolve(Map.of("PARLEY_ACCOUNTS", "maybe")))
            .getMessage());
    Path empty = config("port =");
    assertEquals(
        empty + " line 1: port needs a value",
        assertThrows(ParseException.class, () -> resolve(Map.of(), "--config", empty.toString()))
            .getMessage());
  }

  @Test
  void aMissingFileIsAnError() {
    Path missing = dir.resolve("nope.conf");
    ParseException e =
        assertThrows(ParseException.class, () -> resolve(Map.of(), "--config", missing.toString()));
    assertTrue(e.getMessage().startsWith("cannot read config file " + missing), e.getMessage());
  }

  @Test
  void aByteOrderMarkAtTheStartOfTheFileIsNotPartOfTheFirstKey() throws Exception {
    Path file = dir.resolve("bom.conf");
    Files.writeString(file, "\uFEFFport = 6000\nmax-clients = 7\n", StandardCharsets.UTF_8);
    OptionLayers layers = resolve(Map.of(), "--config", file.toString());
    assertEquals("6000", layers.commandLine().getOptionValue("port"));
    assertEquals("7", layers.commandLine().getOptionValue("max-clients"));
  }

  @Test
  void aFileLargerThanTheBoundIsRefusedAfterReadingNoMoreThanIt() throws Exception {
    Path file = dir.resolve("big.conf");
    Files.writeString(file, "# x\n".repeat(ConfigFile.MAX_BYTES / 4 + 1), StandardCharsets.UTF_8);
    ParseException e =
        assertThrows(ParseException.class, () -> resolve(Map.of(), "--config", file.toString()));
    assertEquals(
        "config file " + file + " is larger than 1 MiB; is it the right file?", e.getMessage());
  }

  @Test
  void anEndlessDeviceIsRefusedLikeALargeFile() {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.isReadable(zero), "no /dev/zero here");
    ParseException e =
        assertThrows(ParseException.class, () -> resolve(Map.of(), "--config", zero.toString()));
    assertEquals(
        "config file /dev/zero is larger than 1 MiB; is it the right file?", e.getMessage());
  }

  @Test
  void aFileThatIsNotUtf8IsOneLineError() throws Exception {
    Path file = dir.resolve("latin1.conf");
    Files.write(file, new byte[] {'p', 'o', 'r', 't', '=', (byte) 0xE9, '\n'});
    ParseException e =
        assertThrows(ParseException.class, () -> resolve(Map.of(), "--config", file.toString()));
    assertEquals("config file " + file + " is not UTF-8 text", e.getMessage());
  }

  @Test
  void aBadValueIsExplainedWithItsSource() throws Exception {
    Path file = config("", "port = -4294962296");
    OptionLayers layers = resolve(Map.of(), "--config", file.toString());
    BadValueException e =
        assertThrows(
            BadValueException.class,
            () ->
                OptionValues.intIn("port", layers.commandLine().getOptionValue("port"), 0, 65535));
    assertEquals(
        file + " line 2: --port must be a whole number from 0 to 65535, got '-4294962296'",
        layers.explain(e));
    OptionLayers fromEnvironment = resolve(Map.of("PARLEY_PORT", "x"));
    assertEquals(
        "environment PARLEY_PORT: --port must be a whole number from 0 to 65535, got 'x'",
        fromEnvironment.explain(
            assertThrows(
                BadValueException.class,
                () ->
                    OptionValues.intIn(
                        "port", fromEnvironment.commandLine().getOptionValue("port"), 0, 65535))));
  }

  @Test
  void describeShowsEverySettingWithItsOrigin() throws Exception {
    Path file = config("max-clients = 300");
    OptionLayers layers =
        resolve(Map.of("PARLEY_PORT", "6001"), "--config", file.toString(), "--accounts");
    assertEquals(
        List.of(
            "host = 127.0.0.1                     # default",
            "port = 6001                          # environment PARLEY_PORT",
            "max-clients = 300                    # " + file + " line 1",
            "data-dir = ./parley-data             # default",
            "accounts = true                      # command line"),
        layers.describe(TABLE));
  }
}
