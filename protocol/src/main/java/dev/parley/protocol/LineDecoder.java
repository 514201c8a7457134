package dev.parley.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of a stream into lines (section 1 of the protocol). One decoder per connection;
 * not thread-safe.
 *
 * <p>A line ends at LF and one CR right before the LF is dropped. A line of more than {@code
 * maxLineBytes} before its LF (the CR counted) is reported as {@link Frame.Fault#TOO_LONG} as soon
 * as the limit is passed, and the rest of it, up to and including its LF, is skipped without being
 * kept: the decoder never holds more than {@code maxLineBytes}. Bytes that are not valid UTF-8 make
 * {@link Frame.Fault#INVALID_UTF8}. Either way the next line decodes normally.
 *
 * <p>Memory: the decoder keeps bytes only for a line split across reads, in an array allocated on
 * first need and dropped again when it grew large, so an idle connection holds almost nothing.
 */
public final class LineDecoder {
  public static final int DEFAULT_MAX_LINE_BYTES = 4096;

  private static final byte LF = '\n';
  private static final byte CR = '\r';
  private static final int FIRST_PARTIAL_BYTES = 256;
  private static final int KEEP_PARTIAL_BYTES = 1024;

  private final int maxLineBytes;
  private byte[] partial; // the start of a line whose LF has not arrived; null while there is none
  private int partialLength;
  private boolean discarding; // skipping the rest of a too-long line, up to its LF

  public LineDecoder(int maxLineBytes) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
    }
    this.maxLineBytes = maxLineBytes;
  }

  public LineDecoder() {
    this(DEFAULT_MAX_LINE_BYTES);
  }

  public int maxLineBytes() {
    return maxLineBytes;
  }

  /** Bytes of an unfinished line held between reads (never more than {@code maxLineBytes}). */
  public int bufferedBytes() {
    return partialLength;
  }

  /**
   * Consumes bytes of {@code src} up to the end of the next line and returns that line, or returns
   * null once {@code src} is used up without completing one (its bytes are kept for the next call).
   * Bytes after the returned line stay in {@code src}, so a caller can stop between lines.
   */
  public Frame next(ByteBuffer src) {
    while (src.hasRemaining()) {
      int start = src.position();
      int limit = src.limit();
      int lf = indexOfLf(src, start, limit);
      if (discarding) {
        if (lf < 0) {
          src.position(limit);
          return null;
        }
        src.position(lf + 1);
        discarding = false;
        continue;
      }
      if (lf < 0) {
        int length = limit - start;
        src.position(limit);
        if (partialLength + length > maxLineBytes) {
          dropPartial();
          discarding = true;
          return Frame.Fault.TOO_LONG;
        }
        appendPartial(src, start, length);
        return null;
      }
      src.position(lf + 1);
      int length = lf - start;
      if (partialLength + length > maxLineBytes) {
        dropPartial();
        return Frame.Fault.TOO_LONG;
      }
      return completeLine(src, start, length);
    }
    return null;
  }

  private Frame completeLine(ByteBuffer src, int start, int length) {
    byte[] bytes;
    int offset;
    int total;
    if (partialLength == 0 && src.hasArray()) {
      bytes = src.array();
      offset = src.arrayOffset() + start;
      total = length;
    } else {
      appendPartial(src, start, length);
      bytes = partial;
      offset = 0;
      total = partialLength;
    }
    if (total > 0 && bytes[offset + total - 1] == CR) {
      total--;
    }
    Frame frame;
    if (Utf8.isValid(bytes, offset, total)) {
      frame = new Frame.Text(new String(bytes, offset, total, StandardCharsets.UTF_8));
    } else {
      frame = Frame.Fault.INVALID_UTF8;
    }
    dropPartial();
    return frame;
  }

  private void appendPartial(ByteBuffer src, int start, int length) {
    int needed = partialLength + length;
    if (partial == null || partial.length < needed) {
      int size = partial == null ? FIRST_PARTIAL_BYTES : partial.length;
      while (size < needed) {
        size *= 2;
      }
      byte[] grown = new byte[Math.min(size, Math.max(maxLineBytes, needed))];
      if (partial != null) {
        System.arraycopy(partial, 0, grown, 0, partialLength);
      }
      partial = grown;
    }
    src.get(start, partial, partialLength, length);
    partialLength = needed;
  }

  private void dropPartial() {
    partialLength = 0;
    if (partial != null && partial.length > KEEP_PARTIAL_BYTES) {
      partial = null;
    }
  }

  private static int indexOfLf(ByteBuffer src, int from, int to) {
    if (src.hasArray()) {
      byte[] array = src.array();
      int base = src.arrayOffset();
      for (int i = from; i < to; i++) {
        if (array[base + i] == LF) {
          return i;
        }
      }
      return -1;
    }
    for (int i = from; i < to; i++) {
      if (src.get(i) == LF) {
        return i;
      }
    }
    return -1;
  }
}
