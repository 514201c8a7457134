package dev.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.junit.jupiter.api.Test;

/** One row of an option table: its option, help, default and bounds. */
class SettingTest {
  private static final Setting<List<Long>> CLIENTS =
      Setting.whole("max-clients", "N", "connections", 10, 1, 100, List::add);
  private static final Setting<List<Long>> METRICS =
      Setting.wholeOrOff("metrics-port", "PORT", "metrics; off unless given", 0, 65535);
  private static final Setting<List<Boolean>> ACCOUNTS =
      Setting.onOff("accounts", "password accounts", List::add);

  private static CommandLine parse(String... args) throws ParseException {
    Options o = new Options();
    List.of(CLIENTS, METRICS, ACCOUNTS).forEach(row -> o.addOption(row.option()));
    return new DefaultParser().parse(o, args);
  }

  @Test
  void theHelpShowsTheDefaultWhenThereIsOne() {
    Option clients = CLIENTS.option();
    assertEquals("connections (default 10)", clients.getDescription());
    assertEquals("N", clients.getArgName());
    assertTrue(clients.hasArg());
    assertEquals("metrics; off unless given", METRICS.option().getDescription());
    assertFalse(ACCOUNTS.option().hasArg(), "a switch takes no value");
  }

  @Test
  void aGivenValueIsCheckedAgainstTheBoundsAndSet() throws ParseException {
    List<Long> set = new ArrayList<>();
    CLIENTS.apply(set, "42");
    assertEquals(List.of(42L), set);
    BadValueException e = assertThrows(BadValueException.class, () -> CLIENTS.apply(set, "101"));
    assertEquals("--max-clients must be a whole number from 1 to 100, got '101'", e.getMessage());
    assertEquals("max-clients", e.option());
    CLIENTS.apply(set, null);
    assertEquals(List.of(42L), set, "nothing given, nothing set");
  }

  @Test
  void aSwitchSetsTrue() throws ParseException {
    List<Boolean> set = new ArrayList<>();
    ACCOUNTS.apply(set, "true");
    assertEquals(List.of(true), set);
  }

  @Test
  void aRowReadsItsValueFromTheCommandLine() throws ParseException {
    CommandLine line = parse("--metrics-port", "9100");
    assertTrue(METRICS.given(line));
    assertEquals(9100, METRICS.whole(line));
    assertEquals(10, CLIENTS.wholeOrDefault(line), "not given: the default");
    assertEquals(7, CLIENTS.wholeOrDefault(parse("--max-clients=7")));
    assertThrows(BadValueException.class, () -> METRICS.whole(parse("--metrics-port=70000")));
  }
}
