package dev.parley.server.web;

import dev.parley.protocol.WebSocketFrames;
import java.nio.ByteBuffer;

/**
 * Follows the server's frames as their bytes go to the socket, so that a control frame (a pong, the
 * close) goes out between two frames and never inside one. Reads only frame headers; payloads are
 * skipped by count. Loop thread only.
 */
final class OutgoingFrames {
  private final byte[] header = new byte[10];
  private int headerBytes;
  private long payloadLeft;

  /** True when the bytes written so far end exactly at the end of a frame. */
  boolean atBoundary() {
    return headerBytes == 0 && payloadLeft == 0;
  }

  /** How many of the next bytes finish the current frame (0 at a boundary, or within a header). */
  long payloadLeft() {
    return payloadLeft;
  }

  /** Follows {@code buffer[from, to)}, bytes just written. */
  void written(ByteBuffer buffer, int from, int to) {
    int at = from;
    while (at < to) {
      if (payloadLeft > 0) {
        long skip = Math.min(payloadLeft, to - at);
        payloadLeft -= skip;
        at += (int) skip;
        continue;
      }
      header[headerBytes++] = buffer.get(at++);
      if (headerBytes >= 2 && headerBytes == WebSocketFrames.headerLengthOf(header[1])) {
        payloadLeft = WebSocketFrames.payloadLength(header, 0);
        headerBytes = 0;
      }
    }
  }
}
