package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The wire form of times: ISO-8601, UTC, always three fraction digits. */
class TimestampsTest {

  @ParameterizedTest
  @CsvSource({
    "0, 1970-01-01T00:00:00.000Z",
    "1, 1970-01-01T00:00:00.001Z",
    "10, 1970-01-01T00:00:00.010Z",
    "100, 1970-01-01T00:00:00.100Z",
    "1000, 1970-01-01T00:00:01.000Z",
    "1795256130123, 2026-11-21T10:15:30.123Z",
    "1795256131000, 2026-11-21T10:15:31.000Z",
    "1795255200000, 2026-11-21T10:00:00.000Z",
    "-1, 1969-12-31T23:59:59.999Z",
  })
  void formatAlwaysWritesThreeFractionDigitsInUtc(long millis, String wire) {
    assertEquals(wire, Timestamps.format(millis));
  }

  @ParameterizedTest
  @CsvSource({
    "0, 1970-01-01T00:00:00.000Z",
    "1795256130123, 2026-11-21T10:15:30.123Z",
    "1795256131000, 2026-11-21T10:15:31.000Z",
    "-1, 1969-12-31T23:59:59.999Z",
  })
  void parseReadsTheWireForm(long millis, String wire) throws ProtocolException {
    assertEquals(millis, Timestamps.parse(wire));
  }

  @Test
  void formatAgreesWithTheJdksInstant() {
    long millis = 1_795_256_130_123L;
    assertEquals(Instant.ofEpochMilli(millis).toString(), Timestamps.format(millis));
  }

  @Test
  void formatIsUtcWhateverTheDefaultTimeZone() {
    TimeZone saved = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
      assertEquals("2026-11-21T10:15:30.123Z", Timestamps.format(1_795_256_130_123L));
      TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
      assertEquals("2026-11-21T10:15:30.123Z", Timestamps.format(1_795_256_130_123L));
    } finally {
      TimeZone.setDefault(saved);
    }
  }

  @Test
  void parseOfFormatGivesTheSameMillisecond() throws ProtocolException {
    long[] samples = {
      0,
      1,
      999,
      1000,
      59_999,
      86_399_999,
      951_782_400_000L, // 2000-02-29
      1_795_256_130_123L,
      4_102_444_799_999L, // 2099-12-31T23:59:59.999Z
      -86_400_001L
    };
    for (long millis : samples) {
      assertEquals(millis, Timestamps.parse(Timestamps.format(millis)), "millis " + millis);
    }
    // Every millisecond of one second, so every fraction is written and read back.
    for (long millis = 1_795_256_130_000L; millis < 1_795_256_131_000L; millis++) {
      assertEquals(millis, Timestamps.parse(Timestamps.format(millis)), "millis " + millis);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "yesterday",
        "2026-11-21",
        "2026-11-21 10:15:30.123Z",
        "2026-11-21T10:15:30.123",
        "2026-13-01T00:00:00.000Z",
        "2026-11-21T25:00:00.000Z",
        "1795256130123"
      })
  void parseRejectsWhatIsNotAnIsoInstant(String text) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> Timestamps.parse(text));
    assertEquals(ErrorCode.MALFORMED, e.code());
    assertEquals("not an ISO-8601 time: " + text, e.reason());
  }
}
