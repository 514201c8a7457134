package dev.parley.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The text of a bench message: a tag naming the run, then the send time as 16 hex digits of {@link
 * System#nanoTime()}, then padding up to the message size. Both ends run in this one process, so
 * the receiver subtracts the two clock readings directly. The tag tells this run's messages from
 * history replayed at sign-in or left over from an earlier run.
 *
 * <pre>
 *   r7k2qx 000001a2b3c4d5e6 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
 *   tag    send nanos       padding (no spaces in the whole text)
 * </pre>
 */
final class Payload {
  static final int TAG_BYTES = 6;
  static final int NANOS_BYTES = 16;
  static final int HEADER_BYTES = TAG_BYTES + NANOS_BYTES;

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final String TAG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final byte[] tag;

  Payload(String tag) {
    if (tag.length() != TAG_BYTES) {
      throw new IllegalArgumentException("tag must be " + TAG_BYTES + " characters");
    }
    this.tag = tag.getBytes(StandardCharsets.US_ASCII);
  }

  /** A tag unlikely to repeat between runs. */
  static String randomTag() {
    StringBuilder sb = new StringBuilder(TAG_BYTES);
    for (int i = 0; i < TAG_BYTES; i++) {
      sb.append(TAG_CHARS.charAt(ThreadLocalRandom.current().nextInt(TAG_CHARS.length())));
    }
    return sb.toString();
  }

  String tag() {
    return new String(tag, StandardCharsets.US_ASCII);
  }

  /** A text of {@code size} bytes with a zero send time, to be stamped with {@link #stamp}. */
  byte[] template(int size) {
    byte[] text = new byte[size];
    System.arraycopy(tag, 0, text, 0, TAG_BYTES);
    for (int i = TAG_BYTES; i < size; i++) {
      text[i] = i < HEADER_BYTES ? (byte) '0' : (byte) 'x';
    }
    return text;
  }

  /** Writes {@code nanos} into the text that starts at {@code textAt} in {@code out}. */
  static void stamp(ByteBuffer out, int textAt, long nanos) {
    int at = textAt + TAG_BYTES + NANOS_BYTES - 1;
    for (int i = 0; i < NANOS_BYTES; i++) {
      out.put(at - i, HEX[(int) (nanos & 0xF)]);
      nanos >>>= 4;
    }
  }

  /** Whether the text at {@code textAt} (of {@code length} bytes) carries this run's tag. */
  boolean isOurs(byte[] a, int textAt, int length) {
    if (length < HEADER_BYTES) {
      return false;
    }
    for (int i = 0; i < TAG_BYTES; i++) {
      if (a[textAt + i] != tag[i]) {
        return false;
      }
    }
    return true;
  }

  /** The send time in a text that {@link #isOurs}; -1 if the digits are not hex. */
  static long sendNanos(byte[] a, int textAt) {
    long v = 0;
    int from = textAt + TAG_BYTES;
    for (int i = from; i < from + NANOS_BYTES; i++) {
      int c = a[i];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else {
        return -1;
      }
      v = (v << 4) | d;
    }
    return v;
  }
}
