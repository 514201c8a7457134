package dev.parley.net;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Fixed-size blocks of outbound-queue slots, shared by every connection of one loop. Loop thread
 * only.
 *
 * <p>Why a pool: a connection's queue is empty nearly all the time and should then hold no storage
 * (memory per idle connection), yet bursts fill thousands of queues at once: each of a hundred
 * sign-ins in one iteration sends a {@code C JOIN} to everyone. A queue that grows an array for the
 * burst and gives it up afterwards makes that storage garbage on every connection for every burst.
 * Chunks taken from here go back here when their queue drains, and the next burst reuses them.
 *
 * <p>The pool gives back what a burst left behind: {@link #release()}, called once a second, drops
 * as many free chunks as were never needed during that second, so the pool shrinks to what the
 * traffic actually uses within a few seconds of a burst and holds nothing on an idle server.
 */
final class EntryChunks {
  /** Slots per chunk: small enough that a quiet connection wastes little of its one chunk. */
  static final int SLOTS = 16;

  /**
   * Called every this many nanoseconds, {@link #release()} frees what the last period left idle.
   */
  static final long RELEASE_PERIOD_NANOS = 1_000_000_000L;

  /** One block of slots; the queue that holds it links its chunks in order. */
  static final class Chunk {
    final ByteBuffer[] entries = new ByteBuffer[SLOTS];
    int replies; // bit i: entries[i] answers the client's own line
    Chunk next;
  }

  private Chunk[] free = new Chunk[SLOTS];
  private int freeCount;
  // The lowest freeCount since the last release: that many chunks were not needed meanwhile.
  private int fewestFree;
  private long created; // chunks ever made, for tests

  /** A chunk with every slot empty. */
  Chunk take() {
    if (freeCount == 0) {
      created++;
      return new Chunk();
    }
    Chunk c = free[--freeCount];
    free[freeCount] = null;
    if (freeCount < fewestFree) {
      fewestFree = freeCount;
    }
    return c;
  }

  /** Returns a chunk whose used slots its queue has already emptied. */
  void give(Chunk c) {
    c.replies = 0;
    c.next = null;
    if (freeCount == free.length) {
      free = Arrays.copyOf(free, free.length * 2);
    }
    free[freeCount++] = c;
  }

  /**
   * Drops the free chunks that no queue needed since the last call (the fewest that were free at
   * any moment), and the storage that held them.
   */
  void release() {
    int keep = freeCount - fewestFree;
    Arrays.fill(free, keep, freeCount, null);
    freeCount = keep;
    fewestFree = keep;
    if (free.length > SLOTS && keep < free.length / 4) {
      free = Arrays.copyOf(free, Math.max(SLOTS, keep * 2));
    }
  }

  int freeCount() {
    return freeCount;
  }

  long created() {
    return created;
  }
}
