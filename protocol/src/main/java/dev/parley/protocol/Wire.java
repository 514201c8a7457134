package dev.parley.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Lines to bytes: UTF-8 with an LF at the end, in a read-only buffer that may be shared. */
public final class Wire {
  private Wire() {}

  public static byte[] bytes(String line) {
    byte[] text = line.getBytes(StandardCharsets.UTF_8);
    byte[] framed = new byte[text.length + 1];
    System.arraycopy(text, 0, framed, 0, text.length);
    framed[text.length] = '\n';
    return framed;
  }

  /**
   * Encodes a line once, read-only: every recipient's queue references this same buffer (and must
   * never move its position), so one message sent to many users is one array in memory.
   */
  public static ByteBuffer encode(String line) {
    return ByteBuffer.wrap(bytes(line)).asReadOnlyBuffer();
  }

  public static ByteBuffer encode(ServerLine line) {
    return encode(line.format());
  }

  public static ByteBuffer encode(ClientLine line) {
    return encode(line.format());
  }
}
