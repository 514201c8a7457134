package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static List<Long> seconds(Backoff backoff, int n) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(backoff.next().toMillis());
    }
    return out;
  }

  @Test
  void doublesFromOneSecondUpToThirtyWithJitterInTheUpperHalf() {
    Backoff lowest = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.0);
    Backoff highest = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.999999);
    // Never below the first wait, never above the step; the step stops at 30 s.
    assertEquals(List.of(1000L, 1000L, 2000L, 4000L, 8000L, 15000L, 15000L), seconds(lowest, 7));
    List<Long> high = seconds(highest, 7);
    assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L), rounded(high));
  }

  private static List<Long> rounded(List<Long> millis) {
    return millis.stream().map(m -> Math.round(m / 1000.0) * 1000).toList();
  }

  @Test
  void resetStartsAgainFromTheFirstWait() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.999999);
    seconds(backoff, 5);
    backoff.reset();
    assertEquals(1000L, Math.round(backoff.next().toMillis() / 1000.0) * 1000);
  }
}
