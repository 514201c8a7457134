package dev.parley.protocol;

import java.nio.ByteBuffer;

/**
 * WebSocket frame bytes (RFC 6455 5.2), built and measured in this one place for everyone who
 * speaks parley/1 over WebSocket: the server's web port (text messages, pongs, its close frame and
 * the header parsing of what it sends and receives), the bench's {@code --ws} mode and the test
 * clients. Bytes only, no I/O; every method is static and allocates nothing unless it returns an
 * array.
 *
 * <p>A frame is its first byte ({@link #FIN} and an opcode), a second byte (the mask bit and a
 * 7-bit length, 126 or 127 announcing a 2- or 8-byte length after it), the 4-byte mask key when
 * masked (every client frame), then the payload, masked by the key when there is one.
 */
public final class WebSocketFrames {
  /** The first byte's bit for the last frame of a message. */
  public static final int FIN = 0x80;

  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  /** The largest header: 2 bytes, 8 of length, 4 of mask key. */
  public static final int MAX_HEADER_BYTES = 14;

  /** The largest control frame payload (a ping, a pong, a close). */
  public static final int MAX_CONTROL_PAYLOAD = 125;

  private static final int MASKED = 0x80;

  private WebSocketFrames() {}

  /** The header's length for a payload of {@code length} bytes, with a mask key or without. */
  public static int headerLength(long length, boolean masked) {
    return (length < 126 ? 2 : length < 65536 ? 4 : 10) + (masked ? 4 : 0);
  }

  /**
   * The header's length as its second byte announces it: read the first two bytes, then this many
   * in all before the payload.
   */
  public static int headerLengthOf(int second) {
    int length7 = second & 0x7F;
    int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
    return 2 + extended + ((second & MASKED) != 0 ? 4 : 0);
  }

  /** Whether the second byte says the payload is masked. */
  public static boolean isMasked(int second) {
    return (second & MASKED) != 0;
  }

  /**
   * The payload length of the frame whose header starts at {@code header[start]} (all {@link
   * #headerLengthOf} bytes of it there). Negative when an 8-byte length has its top bit set, which
   * RFC 6455 forbids.
   */
  public static long payloadLength(byte[] header, int start) {
    int length7 = header[start + 1] & 0x7F;
    if (length7 < 126) {
      return length7;
    }
    int extended = length7 == 126 ? 2 : 8;
    long length = 0;
    for (int i = 0; i < extended; i++) {
      length = length << 8 | (header[start + 2 + i] & 0xFF);
    }
    return length;
  }

  /** Puts an unmasked header (a server's) for {@code length} payload bytes at {@code out}. */
  public static void putHeader(ByteBuffer out, int first, long length) {
    out.put((byte) first);
    if (length < 126) {
      out.put((byte) length);
    } else if (length < 65536) {
      out.put((byte) 126).putShort((short) length);
    } else {
      out.put((byte) 127).putLong(length);
    }
  }

  /**
   * Writes one frame of {@code payload[from, from + length)} at {@code to[at]}: the header (with
   * {@code first} as its first byte, which may be any byte a test wants to send), then the payload,
   * masked with {@code mask} (4 bytes) unless it is null.
   *
   * @return the index after the frame; {@code to} must hold {@link #headerLength} plus the payload
   */
  public static int put(
      byte[] to, int at, int first, byte[] payload, int from, int length, byte[] mask) {
    int maskBit = mask != null ? MASKED : 0;
    to[at++] = (byte) first;
    if (length < 126) {
      to[at++] = (byte) (maskBit | length);
    } else if (length < 65536) {
      to[at++] = (byte) (maskBit | 126);
      to[at++] = (byte) (length >> 8);
      to[at++] = (byte) length;
    } else {
      to[at++] = (byte) (maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        to[at++] = (byte) ((long) length >> shift);
      }
    }
    if (mask == null) {
      System.arraycopy(payload, from, to, at, length);
      return at + length;
    }
    System.arraycopy(mask, 0, to, at, 4);
    at += 4;
    for (int i = 0; i < length; i++) {
      to[at++] = (byte) (payload[from + i] ^ mask[i & 3]);
    }
    return at;
  }

  /** One whole frame of {@code payload}, masked with {@code mask} unless it is null. */
  public static byte[] frame(int first, byte[] payload, byte[] mask) {
    byte[] to = new byte[headerLength(payload.length, mask != null) + payload.length];
    put(to, 0, first, payload, 0, payload.length, mask);
    return to;
  }

  /** The close frame with {@code code} and no reason, unmasked (the server's). */
  public static byte[] close(int code) {
    return new byte[] {(byte) (FIN | CLOSE), 2, (byte) (code >> 8), (byte) code};
  }
}
