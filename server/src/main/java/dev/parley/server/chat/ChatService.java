package dev.parley.server.chat;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientLine;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerLine;
import dev.parley.protocol.Wire;
import dev.parley.server.ServerConfig;
import dev.parley.server.account.Accounts;
import dev.parley.server.history.HistoryStore;
import dev.parley.server.history.HistoryWriter;
import dev.parley.server.history.StoreException;
import dev.parley.server.metrics.PrometheusText;
import dev.parley.server.net.Connection;
import dev.parley.server.net.ConnectionHandler;
import dev.parley.server.net.EventLoop;
import dev.parley.server.net.Peer;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat room: owns the directory, the ordering arbiter, the router, recent history, the batch of
 * messages on their way to the store and every session, and runs their housekeeping (sign-in and
 * idle deadlines, the stats line) on a loop timer. Loop thread only, apart from construction.
 */
public final class ChatService {
  private static final Logger LOG = LoggerFactory.getLogger(ChatService.class);

  /** Public messages kept in memory for replay: enough for the largest {@code C CH}. */
  static final int RECENT_CAPACITY = ClientLine.ChatHistory.MAX_COUNT;

  /** How often deadlines are checked; the granularity of the idle and sign-in timeouts. */
  static final long HOUSEKEEPING_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  /** How often the stats line is logged while the server is busy. */
  static final long STATS_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Reads the loop thread's allocation counter, so the stats line can say bytes per delivery. */
  private static final com.sun.management.ThreadMXBean LOOP_THREAD_MX =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final EventLoop loop;
  private final ServerConfig config;
  private final Directory directory = new Directory();
  private final RecentHistory recent = new RecentHistory(RECENT_CAPACITY);
  private final Stats stats = new Stats();
  private final Stats lastStats = new Stats(); // the counters at the last stats line
  private final Router router = new Router(directory, recent, stats);
  private final List<Session> sessions = new ArrayList<>(); // every open session, signed in or not
  private final Sequencer sequencer;
  private final StoreBatcher batcher;
  private final HistoryWriter writer;
  private final Accounts accounts; // null when accounts are off
  private final ByteBuffer hello;
  private final String epoch; // the history's name, for clients that resume by seq
  private boolean shuttingDown;
  private long lastStatsAt;
  private long lastAllocatedOnLoop; // bytes the loop thread had allocated at the last stats line

  /**
   * Reads the last seq and recent public messages from {@code store} (blocking, so before the loop
   * starts) and installs the batch hook and housekeeping timer on {@code loop}.
   *
   * @param accounts the password accounts, or null to run without accounts
   */
  public ChatService(
      EventLoop loop,
      ServerConfig config,
      HistoryStore store,
      HistoryWriter writer,
      Accounts accounts,
      Clock clock)
      throws StoreException {
    this.loop = loop;
    this.config = config;
    this.writer = writer;
    this.accounts = accounts;
    long lastSeq = store.lastSeq();
    this.sequencer = new Sequencer(lastSeq, clock);
    this.epoch = store.epoch();
    for (ChatMessage m : store.recentPublic(RECENT_CAPACITY)) {
      recent.add(StoredMessage.of(m));
    }
    this.batcher = new StoreBatcher(writer, router, stats, lastSeq);
    this.hello =
        Wire.encode(
            new ServerLine.Hello(
                ServerLine.VERSION, "welcome to parley; sign in with C NICK <name>"));
    loop.addIterationEndHook(batcher);
    loop.execute(
        () -> {
          lastStatsAt = loop.now();
          lastAllocatedOnLoop = LOOP_THREAD_MX.getCurrentThreadAllocatedBytes();
          loop.schedule(HOUSEKEEPING_NANOS, this::housekeeping);
        });
  }

  /** Makes the session for a new connection and greets it. */
  public ConnectionHandler open(Connection connection) {
    return open((Peer) connection);
  }

  /** As {@link #open(Connection)}; the session fuzz test keeps the session it is given. */
  Session open(Peer connection) {
    RateLimiter rate =
        config.maxRate() > 0
            ? new RateLimiter(config.maxRate(), config.rateBurst(), loop.now())
            : null;
    Session session = new Session(connection, this, rate);
    session.index = sessions.size();
    sessions.add(session);
    stats.connected++;
    connection.enqueue(hello);
    return session;
  }

  /** Users signed in now. Loop thread. */
  public int usersOnline() {
    return directory.size();
  }

  /** The most bytes any open connection ever had queued at once. Loop thread. */
  public long peakQueuedBytes() {
    long peak = 0;
    for (Session s : sessions) {
      peak = Math.max(peak, s.peakQueuedBytes());
    }
    return peak;
  }

  /** Sessions open now, signed in or not. Loop thread. */
  int openSessions() {
    return sessions.size();
  }

  /**
   * Says {@code C BYE server shutting down} to everyone, after the answers they are still owed, and
   * closes them. Nobody is told about the others leaving. Loop thread.
   */
  public void shutdown() {
    shuttingDown = true;
    for (Session s : new ArrayList<>(sessions)) {
      s.serverClosing();
    }
    logStats(loop.now(), true);
  }

  /** The password accounts, or null when the server runs without them. */
  Accounts accounts() {
    return accounts;
  }

  HistoryWriter writer() {
    return writer;
  }

  Directory directory() {
    return directory;
  }

  Sequencer sequencer() {
    return sequencer;
  }

  StoreBatcher batcher() {
    return batcher;
  }

  int historyOnJoin() {
    return config.historyOnJoin();
  }

  List<StoredMessage> recentPublic(int n) {
    return recent.last(n);
  }

  /** True if the recent ring holds every public message after {@code afterSeq}. */
  boolean recentHoldsAllAfter(long afterSeq) {
    return recent.holdsAllAfter(afterSeq);
  }

  List<StoredMessage> recentPublicAfter(long afterSeq, int n) {
    return recent.after(afterSeq, n);
  }

  /** The name of this history (protocol section 10). */
  String epoch() {
    return epoch;
  }

  /** The newest seq stored and delivered so far; 0 when none is. */
  long lastStoredSeq() {
    return batcher.lastStoredSeq();
  }

  /** Counts a sign-in refused with {@code C RETRY}, for the metrics. */
  void signInRefused(ErrorCode code) {
    if (code == ErrorCode.WRONG_PASSWORD) {
      stats.wrongPasswords++;
    } else if (code == ErrorCode.TOO_MANY_ATTEMPTS) {
      stats.lockedOut++;
    }
  }

  void signedIn(Session session) {
    router.broadcast(new ServerLine.Join(session.name()), session);
  }

  void closed(Session session, String reason) {
    stats.countClose(reason);
    // Swap-remove: the order of this list means nothing, and removal stays O(1).
    int i = session.index;
    if (i >= 0) {
      Session last = sessions.remove(sessions.size() - 1);
      if (last != session) {
        sessions.set(i, last);
        last.index = i;
      }
      session.index = -1;
    }
    if (session.name() != null) {
      directory.release(session.name(), session);
      if (!shuttingDown) {
        String shown = Session.QUIT.equals(reason) ? null : reason;
        router.broadcast(new ServerLine.Leave(session.name(), shown), session);
      }
    }
  }

  private void housekeeping() {
    long now = loop.now();
    long idle = config.idleTimeout().toNanos();
    long signIn = config.signInTimeout().toNanos();
    // Sessions may close while checked; a close only takes effect at the end of the iteration.
    for (int i = 0; i < sessions.size(); i++) {
      sessions.get(i).checkTimeouts(now, idle, signIn);
    }
    if (now - lastStatsAt >= STATS_NANOS) {
      logStats(now, false);
    }
    if (!shuttingDown) {
      loop.schedule(HOUSEKEEPING_NANOS, this::housekeeping);
    }
  }

  private void logStats(long now, boolean always) {
    long allocatedOnLoop = LOOP_THREAD_MX.getCurrentThreadAllocatedBytes(); // we are the loop
    double seconds = Math.max(1e-9, (now - lastStatsAt) / 1e9);
    lastStatsAt = now;
    long messages = stats.messagesIn - lastStats.messagesIn;
    long deliveries = stats.deliveries - lastStats.deliveries;
    boolean busy = messages > 0 || deliveries > 0 || stats.connected > lastStats.connected;
    if (busy || always) {
      long rss = ProcessMemory.residentBytes();
      StringBuilder drops = new StringBuilder();
      for (String reason : DROP_REASONS) {
        drops.append(drops.length() == 0 ? "" : ", ").append(reason).append(' ');
        drops.append(stats.closes(reason) - lastStats.closes(reason));
      }
      LOG.info(
          "stats: {} users, {} connections, {} messages/s, {} deliveries/s, {} bytes queued,"
              + " drops ({}), rss {}",
          directory.size(),
          sessions.size(),
          String.format("%.1f", messages / seconds),
          String.format("%.1f", deliveries / seconds),
          queuedBytes(),
          drops,
          rss < 0 ? "unknown" : (rss >> 20) + " MiB");
      if (LOG.isDebugEnabled()) {
        long allocated = allocatedOnLoop - lastAllocatedOnLoop;
        LOG.debug(
            "loop allocated {} KiB{}, heap {} MiB, store lag {} batches",
            allocated / 1024,
            deliveries == 0
                ? ""
                : String.format(" (%.2f B/delivery)", allocated / (double) deliveries),
            ProcessMemory.heapUsedBytes() >> 20,
            writer.pendingBatches());
      }
    }
    lastAllocatedOnLoop = allocatedOnLoop;
    lastStats.copyFrom(stats);
  }

  private long queuedBytes() {
    long queued = 0;
    for (Session s : sessions) {
      queued += s.queuedBytes();
    }
    return queued;
  }

  /**
   * Writes the room's metrics for one scrape. Loop thread: it reads the counters the loop keeps and
   * walks the sessions once for the queued bytes.
   */
  public void writeMetrics(PrometheusText out) {
    out.gauge("parley_users", "Users signed in.", directory.size())
        .counter("parley_connections_opened_total", "Connections accepted.", stats.connected)
        .counter(
            "parley_messages_total", "Messages stored and delivered (PM and DM).", stats.messagesIn)
        .counter(
            "parley_deliveries_total", "Copies of messages queued to recipients.", stats.deliveries)
        .counters(
            "parley_disconnects_total",
            "Connections closed, by reason; too slow, ping timeout and sign-in timeout are drops.",
            "reason",
            stats.closedByReason())
        .counter(
            "parley_sign_in_failures_total",
            "Wrong passwords answered C RETRY 401.",
            stats.wrongPasswords)
        .counter(
            "parley_sign_in_locks_total",
            "Sign-ins refused with C RETRY 429: a locked name or address, or too many checks waiting.",
            stats.lockedOut)
        .gauge("parley_queued_bytes", "Bytes queued to clients and not yet written.", queuedBytes())
        .gauge(
            "parley_store_lag_batches",
            "Batches and tasks waiting for the store.",
            writer.pendingBatches())
        .histogram(
            "parley_store_commit_seconds", "Time the store took per commit.", writer.commitTimes());
  }

  /** The close reasons that are the server dropping a client, shown on the stats line. */
  static final List<String> DROP_REASONS = List.of("too slow", "ping timeout", "sign-in timeout");

  /**
   * Counters of the room since start, read by the stats line and the metrics endpoint. Plain longs:
   * loop thread only.
   */
  static final class Stats {
    long messagesIn; // messages stored and delivered
    long deliveries; // copies of messages queued to recipients
    long connected; // connections opened
    long wrongPasswords; // C RETRY 401
    long lockedOut; // C RETRY 429
    private final Map<String, Long> closed = new TreeMap<>(); // by reason; a handful of reasons

    void countClose(String reason) {
      closed.merge(reason == null ? "unknown" : reason, 1L, Long::sum);
    }

    long closes(String reason) {
      return closed.getOrDefault(reason, 0L);
    }

    /** A copy, so a rendering never sees the map change. */
    Map<String, Long> closedByReason() {
      Map<String, Long> all = new TreeMap<>(closed);
      for (String reason : DROP_REASONS) {
        all.putIfAbsent(reason, 0L); // drops are always shown, so an alert can watch them
      }
      return all;
    }

    void copyFrom(Stats other) {
      messagesIn = other.messagesIn;
      deliveries = other.deliveries;
      connected = other.connected;
      wrongPasswords = other.wrongPasswords;
      lockedOut = other.lockedOut;
      closed.clear();
      closed.putAll(other.closed);
    }
  }
}
