package dev.parley.server.chat;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ServerLine;
import dev.parley.protocol.Wire;
import dev.parley.server.account.Accounts;
import dev.parley.server.history.HistoryStore;
import dev.parley.server.history.HistoryWriter;
import dev.parley.server.history.StoreException;
import dev.parley.server.net.Connection;
import dev.parley.server.net.ConnectionHandler;
import dev.parley.server.net.EventLoop;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;

/**
 * The chat room: owns the directory, the ordering arbiter, the router, recent history and the batch
 * of messages on their way to the store, and makes a {@link Session} for each connection. Loop
 * thread only, apart from construction.
 */
public final class ChatService {
  /** Public messages kept in memory for replay: enough for the largest {@code C CH}. */
  static final int RECENT_CAPACITY = 1000;

  private final Directory directory = new Directory();
  private final RecentHistory recent = new RecentHistory(RECENT_CAPACITY);
  private final Router router = new Router(directory, recent);
  private final Sequencer sequencer;
  private final StoreBatcher batcher;
  private final HistoryWriter writer;
  private final Accounts accounts; // null when accounts are off
  private final int historyOnJoin;
  private final ByteBuffer hello;

  /**
   * Reads the last seq and recent public messages from {@code store} (blocking, so before the loop
   * starts) and installs the batch hook on {@code loop}.
   *
   * @param accounts the password accounts, or null to run without accounts
   */
  public ChatService(
      EventLoop loop,
      HistoryStore store,
      HistoryWriter writer,
      Accounts accounts,
      int historyOnJoin,
      Clock clock)
      throws StoreException {
    this.writer = writer;
    this.accounts = accounts;
    this.sequencer = new Sequencer(store.lastSeq(), clock);
    for (ChatMessage m : store.recentPublic(RECENT_CAPACITY)) {
      recent.add(StoredMessage.of(m));
    }
    this.batcher = new StoreBatcher(writer, router);
    this.historyOnJoin = historyOnJoin;
    this.hello =
        Wire.encode(
            new ServerLine.Hello(
                ServerLine.VERSION, "welcome to parley; sign in with C NICK <name>"));
    loop.addIterationEndHook(batcher);
  }

  /** Makes the session for a new connection and greets it. */
  public ConnectionHandler open(Connection connection) {
    Session session = new Session(connection, this);
    connection.enqueue(hello.duplicate());
    return session;
  }

  /** Users signed in now. Loop thread. */
  public int usersOnline() {
    return directory.size();
  }

  /** The highest seq handed out so far. Loop thread. */
  public long lastSeq() {
    return sequencer.lastSeq();
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
    return historyOnJoin;
  }

  List<StoredMessage> recentPublic(int n) {
    return recent.last(n);
  }

  void signedIn(Session session) {
    router.broadcast(new ServerLine.Join(session.name()), session);
  }

  void signedOut(Session session, String reason) {
    directory.release(session.name(), session);
    String shown = Session.QUIT.equals(reason) ? null : reason;
    router.broadcast(new ServerLine.Leave(session.name(), shown), session);
  }
}
