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

  public static String format(long epochMillis) {
    return WIRE.format(Instant.ofEpochMilli(epochMillis));
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
