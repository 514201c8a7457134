package dev.parley.protocol;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The wire form of times: ISO-8601 UTC with exactly three fraction digits. */
public final class Timestamps {
  // ISO_INSTANT drops the fraction when it is zero; the wire always carries milliseconds.
  private static final DateTimeFormatter WIRE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  /** The formatted second most recently asked for: every message in that second reuses it. */
  private record Second(long epochSecond, String prefix) {}

  private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "");

  /**
   * The wire form of {@code epochMillis}. The date and time up to the second are formatted once per
   * second and kept (a server stamps thousands of messages a second); only the milliseconds are
   * written each time. Any thread: the kept value is immutable, so a race only formats it twice.
   */
  public static String format(long epochMillis) {
    long epochSecond = Math.floorDiv(epochMillis, 1000);
    int millis = Math.floorMod(epochMillis, 1000);
    Second second = lastSecond;
    if (second.epochSecond() != epochSecond) {
      String whole = WIRE.format(Instant.ofEpochSecond(epochSecond)); // ...:30.000Z
      second = new Second(epochSecond, whole.substring(0, whole.length() - 4));
      lastSecond = second;
    }
    String prefix = second.prefix();
    StringBuilder sb = new StringBuilder(prefix.length() + 4).append(prefix);
    sb.append((char) ('0' + millis / 100));
    sb.append((char) ('0' + millis / 10 % 10));
    sb.append((char) ('0' + millis % 10));
    return sb.append('Z').toString();
  }

  /** Epoch milliseconds of a wire time; throws {@link ProtocolException} when it is not one. */
  public static long parse(String text) throws ProtocolException {
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new ProtocolException(ErrorCode.MALFORMED, "not an ISO-8601 time: " + text);
    }
  }
}
