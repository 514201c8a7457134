package dev.parley.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

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
 *
 * <p>The entries live in chunks of slots borrowed from the loop's {@link EntryChunks} and returned
 * as they drain, so an empty queue holds no storage and a burst grows no array of its own.
 */
final class OutboundQueue {
  private final EntryChunks chunks;
  private EntryChunks.Chunk head; // null while the queue is empty: an idle queue holds no storage
  private EntryChunks.Chunk tail;
  private int headSlot; // next slot to write from, in head
  private int tailSlot; // next free slot, in tail
  private int size; // entries queued
  private int headOffset; // bytes of the head entry already written
  private long pendingBytes;
  private long replyBytes; // the part of pendingBytes that answers the client's own lines

  OutboundQueue(EntryChunks chunks) {
    this.chunks = chunks;
  }

  /**
   * Queues {@code shared}; its bytes from position to limit are sent, and it is never changed.
   * {@code reply} marks an answer to the client's own line, which {@link #deliveryBytes()} leaves
   * out.
   */
  void add(ByteBuffer shared, boolean reply) {
    if (!shared.hasRemaining()) {
      return;
    }
    pendingBytes += shared.remaining();
    if (reply) {
      replyBytes += shared.remaining();
    }
    if (tail == null) {
      head = tail = chunks.take();
      headSlot = tailSlot = 0;
    } else if (tailSlot == EntryChunks.SLOTS) {
      tail.next = chunks.take();
      tail = tail.next;
      tailSlot = 0;
    }
    tail.entries[tailSlot] = shared;
    if (reply) {
      tail.replies |= 1 << tailSlot;
    }
    tailSlot++;
    size++;
  }

  boolean isEmpty() {
    return size == 0;
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
    while (size > 0) {
      dropHead();
    }
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
    while (size > 0 && total < maxBytes) {
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
    EntryChunks.Chunk chunk = head;
    int slot = headSlot;
    for (int i = 0; i < size; i++) {
      if (slot == EntryChunks.SLOTS) {
        chunk = chunk.next;
        slot = 0;
      }
      ByteBuffer entry = chunk.entries[slot++];
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
      ByteBuffer entry = head.entries[headSlot];
      boolean reply = (head.replies & (1 << headSlot)) != 0;
      int headLeft = entry.remaining() - headOffset;
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
      dropHead();
      headOffset = 0;
    }
  }

  /** Removes the head entry; a chunk goes back to the pool as soon as nothing in it is left. */
  private void dropHead() {
    head.entries[headSlot++] = null; // the shared buffer may be collected once all have sent it
    size--;
    if (size == 0) {
      chunks.give(head);
      head = tail = null;
    } else if (headSlot == EntryChunks.SLOTS) {
      EntryChunks.Chunk used = head;
      head = head.next;
      headSlot = 0;
      chunks.give(used);
    }
  }
}
