package dev.parley.server.chat;

import dev.parley.protocol.ErrorCode;
import dev.parley.server.metrics.PrometheusText;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room's statistics: counters since start that the room's parts bump as things happen, the
 * operator's stats line made from their change since the last line, and the metrics a scrape reads;
 * both also show the room's gauges. Plain longs: loop thread only.
 */
final class RoomStats {
  // The stats line keeps the room's logger name: operators and tests filter on it.
  private static final Logger LOG = LoggerFactory.getLogger(ChatService.class);

  /** How often the stats line is logged while the server is busy. */
  static final long STATS_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** The close reasons that are the server dropping a client, shown on the stats line. */
  static final List<DisconnectReason> DROP_REASONS =
      List.of(
          DisconnectReason.TOO_SLOW,
          DisconnectReason.PING_TIMEOUT,
          DisconnectReason.SIGN_IN_TIMEOUT);

  /** Reads the loop thread's allocation counter, so the stats line can say bytes per delivery. */
  private static final com.sun.management.ThreadMXBean LOOP_THREAD_MX =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** What the room is now, rather than counts of what happened. */
  interface Gauges {
    int connections();

    int users();

    /** Rooms with a user in them, {@code #main} counted; only {@code #main} unless told. */
    default int roomsInUse() {
      return 1;
    }

    /** Memberships in rooms other than {@code #main}; none unless told. */
    default long roomMembers() {
      return 0;
    }

    /**
     * Bytes queued to clients and not yet written; walks every session, so asked only when shown.
     */
    long queuedBytes();

    long storeLagBatches();
  }

  long messagesIn; // messages stored and delivered
  long roomMessagesIn; // of those, messages in rooms other than #main
  long deliveries; // copies of messages queued to recipients
  long connected; // connections opened
  private long wrongPasswords; // C RETRY 401
  private long lockedOut; // C RETRY 429
  private final long[] closed = new long[DisconnectReason.values().length]; // by reason

  // The counters at the last stats line, which shows what changed since.
  private long lineMessagesIn;
  private long lineDeliveries;
  private long lineConnected;
  private final long[] lineDrops = new long[DROP_REASONS.size()];
  private long lastLineAt; // nanos
  private long lastAllocatedOnLoop; // bytes the loop thread had allocated at the last stats line

  /** Counts a sign-in refused with {@code C RETRY}: wrong passwords and lock-outs. */
  void signInRefused(ErrorCode code) {
    if (code == ErrorCode.WRONG_PASSWORD) {
      wrongPasswords++;
    } else if (code == ErrorCode.TOO_MANY_ATTEMPTS) {
      lockedOut++;
    }
  }

  /** Counts a close under its {@link DisconnectReason}; the detail of {@code reason} is dropped. */
  void countClose(String reason) {
    closed[DisconnectReason.of(reason).ordinal()]++;
  }

  long closes(DisconnectReason reason) {
    return closed[reason.ordinal()];
  }

  /** By label, those that happened; the drops always there, even at 0, so an alert can watch. */
  Map<String, Long> closedByReason() {
    Map<String, Long> all = new TreeMap<>();
    for (DisconnectReason reason : DisconnectReason.values()) {
      if (closed[reason.ordinal()] > 0 || DROP_REASONS.contains(reason)) {
        all.put(reason.label(), closed[reason.ordinal()]);
      }
    }
    return all;
  }

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
    String line = endPeriod(now, always, room);
    if (line != null) {
      LOG.info(line);
    }
  }

  /**
   * Ends the period at {@code now}: the stats line for it, or null when nothing happened in it and
   * not {@code always}. The loop's allocation figures go to a DEBUG line of their own.
   */
  String endPeriod(long now, boolean always, Gauges room) {
    long allocatedOnLoop = LOOP_THREAD_MX.getCurrentThreadAllocatedBytes(); // we are the loop
    double seconds = Math.max(1e-9, (now - lastLineAt) / 1e9);
    lastLineAt = now;
    long messages = messagesIn - lineMessagesIn;
    long delivered = deliveries - lineDeliveries;
    boolean busy = messages > 0 || delivered > 0 || connected > lineConnected;
    String line = null;
    if (busy || always) {
      long rss = ProcessMemory.residentBytes();
      StringBuilder drops = new StringBuilder();
      for (int i = 0; i < DROP_REASONS.size(); i++) {
        DisconnectReason reason = DROP_REASONS.get(i);
        drops.append(i == 0 ? "" : ", ").append(reason.label()).append(' ');
        drops.append(closes(reason) - lineDrops[i]);
      }
      line =
          String.format(
              "stats: %d users, %d connections, %.1f messages/s, %.1f deliveries/s,"
                  + " %d bytes queued, drops (%s), rss %s",
              room.users(),
              room.connections(),
              messages / seconds,
              delivered / seconds,
              room.queuedBytes(),
              drops,
              rss < 0 ? "unknown" : (rss >> 20) + " MiB");
      if (LOG.isDebugEnabled()) {
        long allocated = allocatedOnLoop - lastAllocatedOnLoop;
        LOG.debug(
            "loop allocated {} KiB{}, heap {} MiB, store lag {} batches",
            allocated / 1024,
            delivered == 0
                ? ""
                : String.format(" (%.2f B/delivery)", allocated / (double) delivered),
            ProcessMemory.heapUsedBytes() >> 20,
            room.storeLagBatches());
      }
    }
    lastAllocatedOnLoop = allocatedOnLoop;
    lineMessagesIn = messagesIn;
    lineDeliveries = deliveries;
    lineConnected = connected;
    for (int i = 0; i < DROP_REASONS.size(); i++) {
      lineDrops[i] = closes(DROP_REASONS.get(i));
    }
    return line;
  }

  /** Writes the counters and the room's gauges for one scrape. On the loop thread. */
  void writeMetrics(PrometheusText out, Gauges room) {
    out.gauge("parley_users", "Users signed in.", room.users())
        .counter("parley_connections_opened_total", "Connections accepted.", connected)
        .counter("parley_messages_total", "Messages stored and delivered (PM and DM).", messagesIn)
        .counter("parley_deliveries_total", "Copies of messages queued to recipients.", deliveries)
        .gauge("parley_rooms", "Rooms with a user in them, #main counted.", room.roomsInUse())
        .gauge(
            "parley_room_members",
            "Memberships in rooms other than #main (everyone signed in is in #main).",
            room.roomMembers())
        .counter(
            "parley_room_messages_total",
            "Messages stored and delivered in rooms other than #main; its rate is messages per"
                + " second.",
            roomMessagesIn)
        .counters(
            "parley_disconnects_total",
            "Connections closed, by reason; too slow, ping timeout and sign-in timeout are drops.",
            "reason",
            closedByReason())
        .counter(
            "parley_sign_in_failures_total",
            "Wrong passwords answered C RETRY 401.",
            wrongPasswords)
        .counter(
            "parley_sign_in_locks_total",
            "Sign-ins refused with C RETRY 429: a locked name or address, or too many checks waiting.",
            lockedOut)
        .gauge(
            "parley_queued_bytes",
            "Bytes queued to clients and not yet written.",
            room.queuedBytes())
        .gauge(
            "parley_store_lag_batches",
            "Batches and tasks waiting for the store.",
            room.storeLagBatches());
  }
}
