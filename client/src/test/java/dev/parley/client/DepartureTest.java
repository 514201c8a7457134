package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.client.Departure.Next;
import dev.parley.client.Departure.Step;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DepartureTest {
  private static final long SECOND = Duration.ofSeconds(1).toNanos();
  private final Departure departure = new Departure(Duration.ofSeconds(2), Duration.ofSeconds(10));

  @Test
  void owedRepliesAreWaitedForUntilTheServerIsQuiet() {
    departure.endInput(0);
    assertEquals(
        new Next(Step.WAIT, Duration.ofSeconds(1)), departure.next(false, 2 * SECOND, SECOND));
    assertEquals(
        new Next(Step.SEND_EXIT, Duration.ZERO), departure.next(false, 3 * SECOND, SECOND));
  }

  @Test
  void aServerThatKeepsTalkingIsLeftAtTheDrainLimit() {
    departure.endInput(0);
    assertEquals(
        new Next(Step.WAIT, Duration.ofSeconds(1)), departure.next(false, 9 * SECOND, 9 * SECOND));
    assertEquals(
        new Next(Step.SEND_EXIT, Duration.ZERO), departure.next(false, 10 * SECOND, 10 * SECOND));
  }

  @Test
  void afterTheExitTheByeIsWaitedForOnlyUntilQuiet() {
    departure.endInput(0);
    assertEquals(
        new Next(Step.WAIT, Duration.ofSeconds(2)), departure.next(true, 20 * SECOND, 20 * SECOND));
    assertEquals(
        new Next(Step.STOP, Duration.ZERO), departure.next(true, 22 * SECOND, 20 * SECOND));
  }
}
