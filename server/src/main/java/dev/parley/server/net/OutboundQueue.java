package dev.parley.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;

/**
 * The lines waiting to be written to one connection. Entries are the shared, encoded-once buffers
 * themselves — one message for a thousand users is one buffer referenced from a thousand queues —
 * so nothing here may move their position: the queue keeps its own offset into the head entry. Loop
 * thread only.
 *
 * <p>Writing copies from the entries into the loop's staging buffer (direct memory) and writes it
 * with one system call. That is one small copy per line per recipient and no allocation, where
 * handing heap buffers to the channel would make the JDK copy each of them into a temporary direct
 * buffer anyway, and handing it per-recipient duplicates would allocate one object per delivery.
 */
final class OutboundQueue {
  private static final int SMALL_CAPACITY = 4;

  /** Entries held at once beyond which an emptied queue gives its grown storage back. */
  static final int TRIM_ABOVE_ENTRIES = 16;

  private ArrayDeque<ByteBuffer> entries = new ArrayDeque<>(SMALL_CAPACITY);
  private ArrayDeque<Boolean> replies = new ArrayDeque<>(SMALL_CAPACITY); // per entry: a reply?
  private int headOffset; // bytes of the head entry already written
  private long pendingBytes;
  private long replyBytes; // the part of pendingBytes that answers the client's own lines
  private int peakEntries; // most entries held at once since the storage was last trimmed
  private long added; // entries ever added; tells a trim whether the queue was used meanwhile

  /** Queues {@code shared}; its bytes from position to limit are sent, and it is never changed. */
  void add(ByteBuffer shared) {
    add(shared, false);
  }

  /**
   * As {@link #add(ByteBuffer)}; {@code reply} marks an answer to the client's own line, which
   * {@link #deliveryBytes()} leaves out.
   */
  void add(ByteBuffer shared, boolean reply) {
    if (!shared.hasRemaining()) {
      return;
    }
    pendingBytes += shared.remaining();
    if (reply) {
      replyBytes += shared.remaining();
    }
    entries.addLast(shared);
    replies.addLast(reply);
    added++;
    if (entries.size() > peakEntries) {
      peakEntries = entries.size();
    }
  }

  /**
   * Whether the queue is empty but its storage grew for a burst (a thousand sign-ins each send a
   * {@code C JOIN}); an idle connection should not keep that. See {@link #trim}.
   */
  boolean holdsSpareRoom() {
    return entries.isEmpty() && peakEntries > TRIM_ABOVE_ENTRIES;
  }

  /** Entries ever added: a mark to pass to {@link #trim}. */
  long added() {
    return added;
  }

  /**
   * Gives grown storage back if the queue is empty and nothing was added since {@code mark}; a
   * queue in use keeps its storage, so that trimming never makes garbage on a busy connection.
   *
   * @return whether the storage was given back
   */
  boolean trim(long mark) {
    if (entries.isEmpty() && added == mark) {
      entries = new ArrayDeque<>(SMALL_CAPACITY);
      replies = new ArrayDeque<>(SMALL_CAPACITY);
      peakEntries = 0;
      return true;
    }
    return false;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  long pendingBytes() {
    return pendingBytes;
  }

  /** Pending bytes that are not replies: what the client was sent without asking. */
  long deliveryBytes() {
    return pendingBytes - replyBytes;
  }

  /**
   * True when the peer got part of the head line and not the rest: bytes written to the channel
   * now, around this queue, would land inside that line.
   */
  boolean midLine() {
    return headOffset > 0;
  }

  /** Forgets everything queued (the connection is being dropped). */
  void clear() {
    entries.clear();
    replies.clear();
    headOffset = 0;
    pendingBytes = 0;
    replyBytes = 0;
  }

  /**
   * Writes from the head of the queue until the channel takes no more, the queue is empty, or
   * {@code maxBytes} were written (so one fast reader cannot starve the others).
   *
   * @param staging scratch space for the copy; cleared before use, contents undefined after
   * @return the number of bytes written
   */
  long writeTo(WritableByteChannel channel, ByteBuffer staging, long maxBytes) throws IOException {
    long total = 0;
    while (!entries.isEmpty() && total < maxBytes) {
      staging.clear();
      if (maxBytes - total < staging.capacity()) {
        staging.limit((int) (maxBytes - total));
      }
      stage(staging);
      staging.flip();
      int staged = staging.remaining();
      int written = channel.write(staging);
      consume(written);
      total += written;
      if (written < staged) {
        break; // the socket buffer is full; wait for OP_WRITE
      }
    }
    return total;
  }

  /** Copies queued bytes, from the head on, into {@code staging} until either runs out. */
  private void stage(ByteBuffer staging) {
    int skip = headOffset;
    for (ByteBuffer entry : entries) {
      int from = entry.position() + skip;
      int length = Math.min(entry.limit() - from, staging.remaining());
      staging.put(staging.position(), entry, from, length);
      staging.position(staging.position() + length);
      skip = 0;
      if (!staging.hasRemaining()) {
        return;
      }
    }
  }

  /** Drops {@code written} bytes from the head. */
  private void consume(int written) {
    pendingBytes -= written;
    int left = written;
    while (left > 0) {
      ByteBuffer head = entries.peekFirst();
      boolean reply = replies.peekFirst();
      int headLeft = head.remaining() - headOffset;
      if (left < headLeft) {
        headOffset += left;
        if (reply) {
          replyBytes -= left;
        }
        return;
      }
      left -= headLeft;
      if (reply) {
        replyBytes -= headLeft;
      }
      entries.pollFirst();
      replies.pollFirst();
      headOffset = 0;
    }
  }
}
