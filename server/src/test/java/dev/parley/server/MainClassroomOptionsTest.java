package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.cli.BadValueException;
import dev.parley.server.classroom.ClassroomConfig;
import java.time.Duration;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.ParseException;
import org.junit.jupiter.api.Test;

class MainClassroomOptionsTest {

  private static ClassroomConfig classroom(String... args) throws ParseException {
    CommandLine line = new DefaultParser().parse(ServerOptions.options(), args);
    return ClassroomConfig.from(line, ServerOptions.config(line));
  }

  @Test
  void chatIsTheDefaultMode() throws ParseException {
    assertNull(classroom());
    assertNull(classroom("--mode", "chat", "--port", "6000"));
  }

  @Test
  void classroomModeTakesTheAddressRelayOnceAndQuietPeriod() throws ParseException {
    ClassroomConfig config =
        classroom(
            "--mode",
            "classroom",
            "--host",
            "0.0.0.0",
            "--port",
            "6000",
            "--relay",
            "--once",
            "--quiet-ms",
            "250");
    assertEquals("0.0.0.0", config.server().host());
    assertEquals(6000, config.server().port());
    assertTrue(config.relay());
    assertTrue(config.once());
    assertEquals(Duration.ofMillis(250), config.quietPeriod());
  }

  @Test
  void classroomModeDefaultsToOnePairAfterAnotherWithoutRelayAndA100MsQuietPeriod()
      throws ParseException {
    ClassroomConfig config = classroom("--mode", "CLASSROOM");
    assertFalse(config.relay());
    assertFalse(config.once());
    assertEquals(Duration.ofMillis(100), config.quietPeriod());
    assertEquals(Duration.ZERO, config.pairTimeout(), "no pair timeout unless asked for");
  }

  @Test
  void thePairTimeoutIsGivenInSecondsAndMayNotBeNegative() throws ParseException {
    ClassroomConfig config = classroom("--mode", "classroom", "--pair-timeout", "90");
    assertEquals(Duration.ofSeconds(90), config.pairTimeout());
    assertThrows(
        BadValueException.class, () -> classroom("--mode", "classroom", "--pair-timeout", "-1"));
    assertThrows(
        BadValueException.class, () -> classroom("--mode", "classroom", "--pair-timeout", "86401"));
    assertThrows(ParseException.class, () -> classroom("--pair-timeout", "90"));
  }

  @Test
  void classroomOptionsAreRefusedInChatMode() {
    assertThrows(ParseException.class, () -> classroom("--relay"));
    assertThrows(ParseException.class, () -> classroom("--once"));
    assertThrows(ParseException.class, () -> classroom("--quiet-ms", "50"));
  }

  @Test
  void anUnknownModeOrABadQuietPeriodIsRefused() {
    assertThrows(ParseException.class, () -> classroom("--mode", "lecture"));
    assertThrows(ParseException.class, () -> classroom("--mode", "classroom", "--quiet-ms", "x"));
    assertThrows(
        BadValueException.class, () -> classroom("--mode", "classroom", "--quiet-ms", "0"));
    assertThrows(
        BadValueException.class,
        () -> classroom("--mode", "classroom", "--quiet-ms", "-18446744073709551516"));
    assertThrows(
        BadValueException.class,
        () -> classroom("--mode", "classroom", "--pair-timeout", "-18446744073709551516"));
  }
}
