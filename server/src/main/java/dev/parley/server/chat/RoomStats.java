package dev.parley.server.chat;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room's statistics: counters the room's parts bump as things happen, and the operator's stats
 * line made from them and from the room's gauges. Plain longs: loop thread only.
 */
final class RoomStats {
  private static final Logger LOG = LoggerFactory.getLogger(ChatService.class);

  /** How often the stats line is logged while the server is busy. */
  static final long STATS_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Reads the loop thread's allocation counter, so the stats line can say bytes per delivery. */
  private static final com.sun.management.ThreadMXBean LOOP_THREAD_MX =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** What the stats line reads of the room as it is now, rather than counts. */
  interface Gauges {
    int connections();

    int users();

    /**
     * Bytes queued to clients and not yet written; walks every session, so asked only when shown.
     */
    long queuedBytes();

    long storeLagBatches();
  }

  long messagesIn; // messages stored and delivered
  long deliveries; // copies of messages queued to recipients
  long connected; // connections opened

  private long lastLineAt; // nanos
  private long lastAllocatedOnLoop; // bytes the loop thread had allocated at the last stats line

  /** Starts the first period at {@code now}; on the loop thread, whose allocations it counts. */
  void start(long now) {
    lastLineAt = now;
    lastAllocatedOnLoop = LOOP_THREAD_MX.getCurrentThreadAllocatedBytes();
  }

  /** Whether a stats line is due at {@code now}. */
  boolean due(long now) {
    return now - lastLineAt >= STATS_NANOS;
  }

  /**
   * Logs the stats line for the period ending at {@code now} if anything happened in it, or if
   * {@code always}; either way a new period begins. On the loop thread.
   */
  void logLine(long now, boolean always, Gauges room) {
    long allocatedOnLoop = LOOP_THREAD_MX.getCurrentThreadAllocatedBytes(); // we are the loop
    double seconds = Math.max(1e-9, (now - lastLineAt) / 1e9);
    lastLineAt = now;
    boolean busy = messagesIn > 0 || connected > 0 || deliveries > 0;
    if (busy || always) {
      long allocated = allocatedOnLoop - lastAllocatedOnLoop;
      long rss = ProcessMemory.residentBytes();
      LOG.info(
          "stats: {} connections, {} users, {} msg/s in, {} deliveries/s out, {} bytes queued,"
              + " store lag {} batches, loop allocated {} KiB{}, heap {} MiB{}",
          room.connections(),
          room.users(),
          String.format("%.1f", messagesIn / seconds),
          String.format("%.1f", deliveries / seconds),
          room.queuedBytes(),
          room.storeLagBatches(),
          allocated / 1024,
          deliveries == 0
              ? ""
              : String.format(" (%.2f B/delivery)", allocated / (double) deliveries),
          ProcessMemory.heapUsedBytes() >> 20,
          rss < 0 ? "" : ", rss " + (rss >> 20) + " MiB");
    }
    lastAllocatedOnLoop = allocatedOnLoop;
    messagesIn = 0;
    deliveries = 0;
    connected = 0;
  }
}
