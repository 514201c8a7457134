package dev.parley.server.classroom;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Classroom framing (section 9 of the protocol): a message ends at LF, one CR right before it
 * dropped; or, for clients that send one message per {@code send} with no line end, when its bytes
 * are followed by a quiet period. The quiet period is timed by the caller ({@link Participant});
 * this class only keeps the bytes, so it can be tested with byte arrays. One per connection; loop
 * thread only.
 *
 * <ul>
 *   <li>Empty messages (a bare line end) are skipped: a terminal's stray Enter is not a message.
 *   <li>A message longer than {@code maxMessageBytes} is cut to that length and the rest of it, up
 *       to its end, is dropped, so one client cannot grow the server's memory.
 *   <li>Text is UTF-8; bytes that are not valid UTF-8 become U+FFFD (classroom clients are not
 *       always careful, and the exercise is about ordering, not encodings).
 * </ul>
 */
final class MessageFramer {
  private static final byte LF = '\n';
  private static final byte CR = '\r';
  private static final int FIRST_CAPACITY_BYTES = 64;

  private final int maxMessageBytes;
  private byte[] partial = new byte[FIRST_CAPACITY_BYTES]; // the message whose end has not come
  private int length; // bytes kept in partial, at most maxMessageBytes
  private boolean started; // bytes of the current message were consumed (some may be dropped)

  MessageFramer(int maxMessageBytes) {
    if (maxMessageBytes < 1) {
      throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * Consumes bytes of {@code src} up to and including the next LF and returns the message it ends;
   * or consumes all of {@code src} and returns null when no message ended (the bytes are kept as
   * the start of the next message). Bytes after a returned message stay in {@code src}.
   */
  String next(ByteBuffer src) {
    while (src.hasRemaining()) {
      int start = src.position();
      int limit = src.limit();
      int lf = indexOfLf(src, start, limit);
      if (lf < 0) {
        append(src, start, limit - start);
        src.position(limit);
        return null;
      }
      append(src, start, lf - start);
      src.position(lf + 1);
      String message = take();
      if (message != null) {
        return message;
      }
    }
    return null;
  }

  /** Whether bytes of an unfinished message are kept: the caller's quiet period is running. */
  boolean hasPartial() {
    return started;
  }

  /** The quiet period passed: the kept bytes are a message. Null when there are none. */
  String endByQuietPeriod() {
    return take();
  }

  private void append(ByteBuffer src, int from, int count) {
    if (count == 0) {
      return;
    }
    started = true;
    int kept = Math.min(count, maxMessageBytes - length);
    if (kept <= 0) {
      return;
    }
    if (length + kept > partial.length) {
      partial =
          Arrays.copyOf(
              partial, Math.min(maxMessageBytes, Math.max(length + kept, 2 * partial.length)));
    }
    // Absolute get: the caller moves the position itself.
    src.get(from, partial, length, kept);
    length += kept;
  }

  /** The kept bytes as a message, one trailing CR dropped; null when that leaves nothing. */
  private String take() {
    int end = length;
    if (end > 0 && partial[end - 1] == CR) {
      end--;
    }
    String message = end == 0 ? null : new String(partial, 0, end, StandardCharsets.UTF_8);
    length = 0;
    started = false;
    if (partial.length > 4 * FIRST_CAPACITY_BYTES) {
      partial = new byte[FIRST_CAPACITY_BYTES]; // do not keep a big array for an idle client
    }
    return message;
  }

  private static int indexOfLf(ByteBuffer src, int from, int limit) {
    for (int i = from; i < limit; i++) {
      if (src.get(i) == LF) {
        return i;
      }
    }
    return -1;
  }
}
