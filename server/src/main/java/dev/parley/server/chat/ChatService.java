package dev.parley.server.chat;

import dev.parley.net.EventLoop;
import dev.parley.net.LineHandler;
import dev.parley.net.ProbingPeer;
import dev.parley.net.ThrottledLog;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientLine;
import dev.parley.protocol.ServerLine;
import dev.parley.protocol.Wire;
import dev.parley.server.ServerConfig;
import dev.parley.server.account.Accounts;
import dev.parley.server.metrics.PrometheusText;
import dev.parley.server.store.RoomRecord;
import dev.parley.server.store.Store;
import dev.parley.server.store.StoreException;
import dev.parley.server.store.StoreWriter;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat room a session posts to: it lets sessions in and out ({@link #join}, {@link #leave}),
 * takes their messages ({@link #publish}, {@link #direct}), says who is online, and runs the
 * housekeeping (sign-in and idle deadlines, the stats line) on a loop timer. Inside it the
 * directory, the ordering arbiter, the router, recent history and the batch of messages on their
 * way to the store; the statistics are {@link RoomStats}. Loop thread only, apart from
 * construction.
 */
public final class ChatService {
  private static final Logger LOG = LoggerFactory.getLogger(ChatService.class);

  /** Public messages kept in memory for replay: enough for the largest {@code C CH}. */
  static final int RECENT_CAPACITY = ClientLine.ChatHistory.MAX_COUNT;

  /** How often deadlines are checked; the granularity of the idle and sign-in timeouts. */
  static final long HOUSEKEEPING_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final EventLoop loop;
  private final ServerConfig config;
  private final Directory directory = new Directory();
  private final RecentHistory recent = new RecentHistory(RECENT_CAPACITY);
  private final RoomStats stats = new RoomStats();
  private final Router router = new Router(directory, recent, stats);
  private final UnorderedSet<Session> sessions = new UnorderedSet<>(); // open, signed in or not
  private final Sequencer sequencer;
  private final Rooms rooms = new Rooms(); // the rooms other than #main
  private final Clock clock;
  private final StoreBatcher batcher;
  private final StoreWriter writer;
  private final RoomHistory past;
  private final Accounts accounts; // null when accounts are off
  private final ByteBuffer hello;
  private final RoomStats.Gauges gauges = new Gauges();
  private final ThrottledLog transportFailures; // a flood of broken handshakes: a line a second
  private boolean shuttingDown;

  /**
   * Reads the last seq and recent public messages from {@code store} (blocking, so before the loop
   * starts) and installs the batch hook and housekeeping timer on {@code loop}.
   *
   * @param accounts the password accounts, or null to run without accounts
   */
  public ChatService(
      EventLoop loop,
      ServerConfig config,
      Store store,
      StoreWriter writer,
      Accounts accounts,
      Clock clock)
      throws StoreException {
    this.loop = loop;
    this.transportFailures =
        new ThrottledLog(
            loop,
            TimeUnit.SECONDS.toNanos(1),
            LoggerFactory.getLogger(Session.class), // the logger of every other close line
            "{} more connections failed their TLS handshake or HTTP request in the last {} s");
    this.config = config;
    this.writer = writer;
    this.accounts = accounts;
    long lastSeq = store.lastSeq();
    this.sequencer = new Sequencer(lastSeq, clock);
    this.clock = clock;
    for (ChatMessage m : store.recentPublic(RECENT_CAPACITY)) {
      recent.add(StoredMessage.of(m));
    }
    this.batcher = new StoreBatcher(writer, router, stats, lastSeq);
    this.past =
        new RoomHistory(
            recent, writer, batcher, store.epoch(), config.historyOnJoin(), accounts != null);
    this.hello =
        Wire.encode(
            new ServerLine.Hello(
                ServerLine.VERSION, "welcome to parley; sign in with C NICK <name>"));
    loop.addIterationEndHook(batcher);
    loop.execute(
        () -> {
          stats.start(loop.now());
          loop.schedule(HOUSEKEEPING_NANOS, this::housekeeping);
        });
  }

  /** Makes the session for a new connection and greets it. */
  public LineHandler open(ProbingPeer connection) {
    RateLimiter rate =
        config.maxRate() > 0
            ? new RateLimiter(config.maxRate(), config.rateBurst(), loop.now())
            : null;
    Session session =
        new Session(
            connection,
            this,
            past,
            accounts == null
                ? null
                : new PasswordSignIn(connection, accounts, connection::now, stats),
            new TimeLimits(connection, rate, connection.now()));
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
    for (Session s : sessions.snapshot()) {
      s.serverClosing();
    }
    stats.logLine(loop.now(), true, gauges);
  }

  /**
   * Writes the room's metrics for one scrape. Loop thread: it reads the counters the loop keeps and
   * walks the sessions once for the queued bytes.
   */
  public void writeMetrics(PrometheusText out) {
    stats.writeMetrics(out, gauges);
    out.histogram(
        "parley_store_commit_seconds", "Time the store took per commit.", writer.commitTimes());
  }

  // ---- what a session posts to the room ----

  /** The session signed in as {@code name}, or null when nobody is. */
  Session online(String name) {
    return directory.find(name);
  }

  /** The names online, for {@code C USERS}. */
  List<String> names() {
    return directory.names();
  }

  /**
   * Takes {@code name} for {@code session} and tells everyone else it joined; false when the name
   * is in use.
   */
  boolean join(Session session, String name) {
    if (!directory.claim(name, session)) {
      return false;
    }
    router.broadcast(new ServerLine.Join(name), session);
    return true;
  }

  /**
   * A public message from {@code sender} to {@code #main}: ordered now, delivered once stored.
   *
   * @param shown {@code #main} when the sender's {@code C PM} named it, for its {@code C SENT}
   */
  ChatMessage publish(Session sender, String text, String shown) {
    ChatMessage message = sequencer.publicMessage(sender.name(), text);
    batcher.add(message, sender, null, shown);
    return message;
  }

  // ---- rooms other than #main (protocol section 12) ----

  /** The limits of section 12, as set. */
  int maxRoomsPerUser() {
    return config.maxRoomsPerUser();
  }

  /** The room in use under {@code name} in any case, or null. */
  Room roomInUse(String name) {
    return rooms.inUse(name);
  }

  /** Rooms other than {@code #main} with someone in them, for {@code C ROOMS}. */
  List<String> roomNames(int max) {
    return rooms.names(max);
  }

  /**
   * Lets {@code session} into the room {@code name} names (not {@code #main}, not yet joined):
   * {@code joiner} hears once it is in, at once when the room is in memory, else once the store has
   * read or made it (others in the room are told {@code C JOIN <room> <name>} then). False when the
   * limit of rooms in use is reached; the caller answers 405.
   */
  boolean join(Session session, String name, Room.Joiner joiner) {
    if (rooms.inUse(name) == null && rooms.inUseCount() + 1 >= config.maxRooms()) {
      return false; // #main counted
    }
    Room room = rooms.take(name);
    room.whenLoaded(
        new Room.Joiner() {
          @Override
          public void joined(Room r) {
            if (session.isGone()) {
              rooms.maybeIdle(r); // it closed while the room was read
              return;
            }
            r.add(session);
            router.broadcast(r.members(), new ServerLine.Join(session.name(), r.name()), session);
            joiner.joined(r);
          }

          @Override
          public void failed() {
            joiner.failed();
          }
        });
    if (room.startLoad()) {
      writer.run(
          store -> store.openRoom(name),
          (RoomRecord record, StoreException failure) -> {
            if (failure != null) {
              LOG.warn("{}; those joining {} were answered C ERR 500", failure.getMessage(), name);
              rooms.dropFailed(room);
              room.failed();
              return;
            }
            room.loaded(record);
            rooms.maybeIdle(room); // everyone waiting may have gone meanwhile
          });
    }
    return true;
  }

  /**
   * {@code session} leaves {@code room}; the others in it are told unless {@code quietly} (signing
   * out, which {@code C LEAVE} announces once).
   */
  void part(Session session, Room room, boolean quietly) {
    if (!room.remove(session)) {
      return;
    }
    if (!quietly) {
      router.broadcast(room.members(), new ServerLine.Part(session.name(), room.name()), session);
    }
    rooms.maybeIdle(room);
  }

  /**
   * A message from {@code sender} to {@code room}: ordered by the room now, delivered once stored.
   */
  ChatMessage publishIn(Room room, Session sender, String text) {
    ChatMessage message = room.sequence(sender.name(), text, clock);
    batcher.addInRoom(message, sender, room);
    return message;
  }

  /**
   * Sets the topic of {@code room} once the store has it: only then does the room take it and every
   * member hear it, the setter by the answer whose place it holds ({@link Session#confirmStored});
   * a topic the store refuses is told to nobody and the setter gets {@code C ERR 500}. The messages
   * accepted before it go to the store first, so it is stored and told in turn with them.
   */
  void setTopic(Room room, Session setter, String text) {
    String name = room.name();
    String by = setter.name();
    batcher.run(); // the messages before it, ahead of it in the store's queue
    writer.run(
        store -> {
          store.setTopic(name, by, text);
          return null;
        },
        (Object none, StoreException failure) -> {
          if (failure != null) {
            LOG.warn(
                "{}; the setter was answered C ERR 500 and nobody was told", failure.getMessage());
            setter.refuseUnstored();
            return;
          }
          room.setTopic(by, text);
          ServerLine told = new ServerLine.Topic(name, by, text);
          router.broadcast(room.members(), told, setter);
          setter.confirmStored(told);
        });
  }

  /** A direct message to {@code recipient}, who the sender chose and who is online now. */
  ChatMessage direct(Session sender, Session recipient, String text) {
    ChatMessage message = sequencer.directMessage(sender.name(), recipient.name(), text);
    batcher.add(message, sender, recipient);
    return message;
  }

  /**
   * The session's connection is gone: it leaves the room, and unless the server is going down the
   * others are told, with {@code reason} unless it was the user's own {@code C EX}.
   */
  void leave(Session session, String reason) {
    stats.countClose(reason);
    sessions.remove(session);
    for (Room room : session.leaveRooms()) {
      part(session, room, true); // C LEAVE below says it once
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
    if (stats.due(now)) {
      stats.logLine(now, false, gauges);
    }
    if (!shuttingDown) {
      loop.schedule(HOUSEKEEPING_NANOS, this::housekeeping);
    }
  }

  /**
   * Logs the close of a connection whose transport never came up (a failed TLS handshake, a web
   * request cut short): the first in full, then at most a count a second, since a flood of them
   * (replayed hellos, a scanner) would otherwise write a line each.
   */
  void logTransportFailure(SocketAddress from, String reason) {
    transportFailures.info("connection from {} closed ({})", from, reason);
  }

  /** The room as the stats line shows it. */
  private final class Gauges implements RoomStats.Gauges {
    @Override
    public int connections() {
      return sessions.size();
    }

    @Override
    public int users() {
      return directory.size();
    }

    @Override
    public int roomsInUse() {
      return rooms.inUseCount() + 1; // #main is always in use
    }

    @Override
    public long roomMembers() {
      return rooms.members();
    }

    @Override
    public long queuedBytes() {
      long queued = 0;
      for (Session s : sessions) {
        queued += s.queuedBytes();
      }
      return queued;
    }

    @Override
    public long storeLagBatches() {
      return writer.pendingBatches();
    }
  }
}
