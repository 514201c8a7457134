package dev.parley.server.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * The most recent messages in a ring, oldest overwritten first, so history replay and {@code C CH}
 * are served from memory without touching the store. Loop thread only.
 */
final class RecentHistory {
  private final StoredMessage[] ring;
  private int next; // slot the next message goes into
  private int size;

  RecentHistory(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    ring = new StoredMessage[capacity];
  }

  void add(StoredMessage message) {
    ring[next] = message;
    next = (next + 1) % ring.length;
    if (size < ring.length) {
      size++;
    }
  }

  int size() {
    return size;
  }

  /** The last {@code n} messages (fewer if fewer are kept), oldest first. */
  List<StoredMessage> last(int n) {
    int count = Math.min(n, size);
    List<StoredMessage> result = new ArrayList<>(count);
    int start = next - count;
    for (int i = 0; i < count; i++) {
      result.add(ring[Math.floorMod(start + i, ring.length)]);
    }
    return result;
  }

  /**
   * True if every public message with seq greater than {@code afterSeq} is kept here: nothing was
   * ever overwritten, or only messages at or before it were.
   */
  boolean holdsAllAfter(long afterSeq) {
    return size < ring.length || ring[next].seq() <= afterSeq + 1;
  }

  /** At most {@code n} kept messages with seq greater than {@code afterSeq}, oldest first. */
  List<StoredMessage> after(long afterSeq, int n) {
    int start = next - size;
    int skip = 0;
    while (skip < size && ring[Math.floorMod(start + skip, ring.length)].seq() <= afterSeq) {
      skip++;
    }
    int count = Math.min(n, size - skip);
    List<StoredMessage> result = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      result.add(ring[Math.floorMod(start + skip + i, ring.length)]);
    }
    return result;
  }
}
