package dev.parley.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;

/**
 * The bytes waiting to be written to one connection, as a queue of buffers that may be shared with
 * other connections (each entry is the connection's own duplicate, so positions are private).
 * Counts pending bytes so the connection can apply its water marks. Loop thread only.
 */
final class OutboundQueue {
  // Linux caps one writev at 1024 buffers; a smaller batch keeps the array on the stack of hot
  // code.
  private static final int MAX_BUFFERS_PER_WRITE = 256;

  private final ArrayDeque<ByteBuffer> buffers = new ArrayDeque<>();
  private final ByteBuffer[] batch = new ByteBuffer[MAX_BUFFERS_PER_WRITE];
  private long pendingBytes;

  void add(ByteBuffer buffer) {
    pendingBytes += buffer.remaining();
    buffers.addLast(buffer);
  }

  boolean isEmpty() {
    return buffers.isEmpty();
  }

  long pendingBytes() {
    return pendingBytes;
  }

  /** Forgets everything queued (the connection is being dropped). */
  void clear() {
    buffers.clear();
    pendingBytes = 0;
  }

  /**
   * Writes from the head of the queue with gathering writes until the channel takes no more, the
   * queue is empty, or {@code maxBytes} were written (so one fast reader cannot starve the others).
   *
   * @return the number of bytes written
   */
  long writeTo(GatheringByteChannel channel, long maxBytes) throws IOException {
    long total = 0;
    while (!buffers.isEmpty() && total < maxBytes) {
      int count = 0;
      long batchBytes = 0;
      for (ByteBuffer b : buffers) {
        batch[count++] = b;
        batchBytes += b.remaining();
        if (count == batch.length || batchBytes >= maxBytes - total) {
          break;
        }
      }
      long written = channel.write(batch, 0, count);
      java.util.Arrays.fill(batch, 0, count, null);
      total += written;
      pendingBytes -= written;
      while (!buffers.isEmpty() && !buffers.peekFirst().hasRemaining()) {
        buffers.pollFirst();
      }
      if (written < batchBytes) {
        break; // the socket buffer is full; wait for OP_WRITE
      }
    }
    return total;
  }
}
