package dev.parley.server.web;

import dev.parley.protocol.WebSocketFrames;
import java.nio.ByteBuffer;

/**
 * Frames the server's lines as WebSocket text messages (unmasked, one per line) for all the
 * connections of a web port, and remembers the last buffer it framed: a message fanned out to many
 * browser users is queued as the same buffer to each, so it is framed once and every queue holds
 * the same framed bytes, as every plain TCP queue holds the same line. Loop thread only.
 */
final class ServerFrames {
  private ByteBuffer lastLines; // kept so that its identity cannot be reused by another buffer
  private ByteBuffer lastFrames;

  /**
   * The frames for {@code lines}, whole lines each ending in LF (a last one without LF is framed as
   * a whole message too); read-only, never changed, as the queue's contract asks.
   */
  ByteBuffer frame(ByteBuffer lines) {
    if (lines != lastLines) {
      lastFrames = encode(lines);
      lastLines = lines;
    }
    return lastFrames; // never moved by the queue, so shared as it is
  }

  static ByteBuffer encode(ByteBuffer lines) {
    int from = lines.position();
    int end = lines.limit();
    int size = 0;
    for (int start = from; start < end; ) {
      int lineEnd = lineEnd(lines, start, end);
      size += WebSocketFrames.headerLength(lineEnd - start, false) + (lineEnd - start);
      start = lineEnd + 1;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    for (int start = from; start < end; ) {
      int lineEnd = lineEnd(lines, start, end);
      int length = lineEnd - start;
      WebSocketFrames.putHeader(out, WebSocketFrames.FIN | WebSocketFrames.TEXT, length);
      out.put(out.position(), lines, start, length);
      out.position(out.position() + length);
      start = lineEnd + 1;
    }
    return out.flip().asReadOnlyBuffer();
  }

  private static int lineEnd(ByteBuffer lines, int start, int end) {
    for (int i = start; i < end; i++) {
      if (lines.get(i) == '\n') {
        return i;
      }
    }
    return end;
  }
}
