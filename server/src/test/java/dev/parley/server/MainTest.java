package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.cli.BadValueException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.ParseException;
import org.junit.jupiter.api.Test;

class MainTest {

  private static ServerConfig configFrom(String... args) throws ParseException {
    return ServerOptions.config(new DefaultParser().parse(ServerOptions.options(), args));
  }

  @Test
  void noArgumentsGiveTheDefaults() throws ParseException {
    assertEquals(ServerConfig.defaults(), configFrom());
  }

  @Test
  void positionalHostAndPortAreUsed() throws ParseException {
    ServerConfig config = configFrom("0.0.0.0", "6001");
    assertEquals(ServerConfig.defaults().withAddress("0.0.0.0", 6001), config);
  }

  @Test
  void aPositionalHostAloneKeepsTheDefaultPort() throws ParseException {
    assertEquals(ServerConfig.defaults().withAddress("::1", 5000), configFrom("::1"));
  }

  @Test
  void hostAndPortOptionsAreUsed() throws ParseException {
    assertEquals(
        ServerConfig.defaults().withAddress("10.0.0.7", 7000),
        configFrom("--host", "10.0.0.7", "--port", "7000"));
    assertEquals(
        ServerConfig.defaults().withAddress("127.0.0.1", 0),
        configFrom("--port=0"),
        "port 0 picks a free port");
  }

  @Test
  void theOtherSettingsHaveOptions() throws ParseException {
    ServerConfig config =
        configFrom(
            "--max-line", "8192",
            "--max-queue", "65536",
            "--max-clients", "3",
            "--history-on-join", "0");
    assertEquals(
        ServerConfig.defaults().toBuilder()
            .maxLineBytes(8192)
            .maxQueueBytes(65536)
            .maxClients(3)
            .historyOnJoin(0)
            .build(),
        config);
  }

  @Test
  void storeRateIdleAndAccountOptionsAreUsed() throws ParseException {
    ServerConfig config =
        configFrom(
            "--store",
            "MEMORY",
            "--data-dir",
            "/tmp/parley-x",
            "--max-rate",
            "0",
            "--rate-burst",
            "7",
            "--idle-timeout",
            "0",
            "--accounts");
    assertEquals(
        ServerConfig.defaults().toBuilder()
            .store(ServerConfig.StoreKind.MEMORY)
            .dataDir(java.nio.file.Path.of("/tmp/parley-x"))
            .maxRate(0)
            .rateBurst(7)
            .idleTimeout(java.time.Duration.ZERO)
            .accounts(true)
            .build(),
        config);
    assertEquals(ServerConfig.StoreKind.SQLITE, configFrom().store(), "SQLite by default");
  }

  @Test
  void anUnknownStoreIsAnError() {
    ParseException e = assertThrows(ParseException.class, () -> configFrom("--store", "redis"));
    assertTrue(e.getMessage().contains("redis"), e.getMessage());
  }

  @Test
  void aPortThatIsNoNumberIsAnError() {
    ParseException e = assertThrows(ParseException.class, () -> configFrom("--port", "http"));
    assertTrue(e.getMessage().contains("port"), e.getMessage());
    assertThrows(ParseException.class, () -> configFrom("localhost", "50x0"));
    assertThrows(ParseException.class, () -> configFrom("--port", "99999999999"));
  }

  @Test
  void aPortOutOfRangeIsAnError() {
    BadValueException e =
        assertThrows(BadValueException.class, () -> configFrom("--port", "65536"));
    assertEquals("--port must be a whole number from 0 to 65535, got '65536'", e.getMessage());
    assertThrows(BadValueException.class, () -> configFrom("--port=-1"));
    assertThrows(BadValueException.class, () -> configFrom("localhost", "70000"));
  }

  @Test
  void moreThanTwoPositionalArgumentsAreAnError() {
    assertThrows(ParseException.class, () -> configFrom("a", "1", "extra"));
  }

  @Test
  void anUnknownOptionIsAnError() {
    assertThrows(ParseException.class, () -> configFrom("--colour"));
  }

  @Test
  void helpPrintsUsageAndStartsNothing() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Main.main(new String[] {"--help"});
    } finally {
      System.setOut(original);
    }
    String help = captured.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("parley-server"), help);
    assertTrue(help.contains("--port"), help);
    assertTrue(help.contains("--max-clients"), help);
  }
}
