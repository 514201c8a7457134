package dev.parley.server;

import dev.parley.server.account.Accounts;
import dev.parley.server.account.PasswordHasher;
import dev.parley.server.account.SignInThrottle;
import dev.parley.server.chat.ChatService;
import dev.parley.server.history.HistoryStore;
import dev.parley.server.history.HistoryWriter;
import dev.parley.server.history.InMemoryHistoryStore;
import dev.parley.server.history.InlineHistoryWriter;
import dev.parley.server.history.SqliteHistoryStore;
import dev.parley.server.history.StoreException;
import dev.parley.server.history.ThreadedHistoryWriter;
import dev.parley.server.metrics.PrometheusText;
import dev.parley.server.net.Acceptor;
import dev.parley.server.net.Connection;
import dev.parley.server.net.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Wires the parts of a chat server together, starts them and stops them; nothing else. */
public final class ChatServer implements AutoCloseable {
  private final EventLoop loop;
  private final Acceptor acceptor;
  private final ChatService chat;
  private final HistoryWriter writer;
  private final Accounts accounts; // null when accounts are off
  private final InetSocketAddress address;

  private ChatServer(
      EventLoop loop, Acceptor acceptor, ChatService chat, HistoryWriter writer, Accounts accounts)
      throws IOException {
    this.accounts = accounts;
    this.loop = loop;
    this.acceptor = acceptor;
    this.chat = chat;
    this.writer = writer;
    this.address = acceptor.localAddress();
  }

  /**
   * Opens the configured store, binds, starts the loop and returns; throws when the store cannot be
   * opened or the address cannot be bound.
   */
  public static ChatServer start(ServerConfig config) throws IOException, StoreException {
    return start(config, Machine.real());
  }

  /** As {@link #start(ServerConfig)} on a given {@link Machine}. */
  public static ChatServer start(ServerConfig config, Machine machine)
      throws IOException, StoreException {
    HistoryStore store =
        config.store() == ServerConfig.StoreKind.MEMORY
            ? new InMemoryHistoryStore()
            : SqliteHistoryStore.open(config.dataDir());
    return start(config, store, Clock.systemUTC(), machine);
  }

  /** As {@link #start(ServerConfig)} with a given store (closed with the server) and clock. */
  public static ChatServer start(ServerConfig config, HistoryStore store, Clock clock)
      throws IOException, StoreException {
    return start(config, store, clock, Machine.real());
  }

  /**
   * What the server takes from the machine besides sockets and the store: the monotonic clock that
   * every timeout, timer and guessing lock is measured on, and the password hashing threads. A test
   * gives its own to move time on by hand and to hold a password check.
   *
   * @param loopClock nanoseconds, {@link System#nanoTime()} scale
   * @param hasher makes the hasher when accounts are on (closed with the server)
   */
  public record Machine(LongSupplier loopClock, Supplier<PasswordHasher> hasher) {
    public static Machine real() {
      return new Machine(System::nanoTime, PasswordHasher::forThisMachine);
    }
  }

  /** As {@link #start(ServerConfig, HistoryStore, Clock)} on a given {@link Machine}. */
  public static ChatServer start(
      ServerConfig config, HistoryStore store, Clock clock, Machine machine)
      throws IOException, StoreException {
    store.setAccountsOn(config.accounts());
    EventLoop loop = new EventLoop("parley-loop", machine.loopClock());
    // A store that never blocks may run on the loop; any other gets a thread of its own.
    HistoryWriter writer =
        store instanceof InMemoryHistoryStore
            ? new InlineHistoryWriter(store)
            : new ThreadedHistoryWriter(store, loop);
    Accounts accounts = null;
    try {
      accounts =
          config.accounts()
              ? new Accounts(
                  store.loadAccounts(),
                  machine.hasher().get(),
                  // The loop's clock, like every other time limit: one time source for the server.
                  new SignInThrottle(loop.clock()),
                  writer,
                  loop,
                  config.maxPasswordChecks(),
                  config.maxPasswordChecksPerAddress())
              : null;
      ChatService chat = new ChatService(loop, config, store, writer, accounts, clock);
      Acceptor acceptor =
          Acceptor.open(
              loop,
              new InetSocketAddress(config.host(), config.port()),
              Connection.Limits.of(config.maxLineBytes(), config.maxQueueBytes()),
              config.maxClients(),
              chat::open);
      ChatServer server = new ChatServer(loop, acceptor, chat, writer, accounts);
      loop.start();
      return server;
    } catch (IOException | StoreException | RuntimeException e) {
      loop.close();
      writer.close();
      if (accounts != null) {
        accounts.close();
      }
      throw e;
    }
  }

  public InetSocketAddress address() {
    return address;
  }

  public int port() {
    return address.getPort();
  }

  /**
   * Waits until the loop stops: after {@link #close}, or when a {@link VirtualMachineError} ended
   * it (see {@link EventLoop}), which is returned; the server then serves no one. Any thread but
   * the loop's.
   */
  public Throwable awaitLoopStopped() throws InterruptedException {
    loop.awaitTermination();
    return loop.fatalError();
  }

  /** Users signed in now, read on the loop. Any thread. */
  public int usersOnline() {
    return onLoop(chat::usersOnline);
  }

  /**
   * The most bytes any open connection ever had queued at once, read on the loop. Any thread. How
   * tests see that output stays bounded without looking at the heap.
   */
  public long peakQueuedBytes() {
    return onLoop(chat::peakQueuedBytes);
  }

  /** Connections open now, signed in or not, read on the loop. Any thread. */
  public int openConnections() {
    return onLoop(acceptor::openConnections);
  }

  /**
   * The server's metrics in the Prometheus text format, rendered on the loop from the counters it
   * keeps (nothing blocks there); this thread only waits for the text, at most {@code timeout}. Any
   * thread but the loop's.
   *
   * @throws IllegalStateException when the loop did not answer in time
   */
  public String metrics(Duration timeout) {
    return onLoop(
        () -> {
          PrometheusText out = new PrometheusText();
          out.gauges(
              "parley_connections",
              "Connections open now, signed in or not, by transport.",
              "transport",
              Map.of("tcp", (long) acceptor.openConnections()));
          chat.writeMetrics(out);
          out.histogram(
              "parley_loop_iteration_seconds",
              "Work per event loop iteration, from the first ready key to the end of the flush.",
              loop.iterationTimes());
          return out.toString();
        },
        timeout);
  }

  /** Whether the loop answers within {@code timeout}. Any thread but the loop's. */
  public boolean healthy(Duration timeout) {
    try {
      return onLoop(() -> Boolean.TRUE, timeout);
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private <T> T onLoop(Supplier<T> query) {
    return onLoop(query, Duration.ofSeconds(5));
  }

  private <T> T onLoop(Supplier<T> query, Duration timeout) {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(() -> result.complete(query.get()));
    try {
      return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking the event loop", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the event loop did not answer", e);
    }
  }

  /**
   * The clean way down: stop accepting, tell every client {@code C BYE server shutting down} after
   * the answers it is owed, give the queues up to {@code grace} to drain, then close everything and
   * let the store commit what it holds. Any thread but the loop's.
   */
  public void shutdown(Duration grace) {
    loop.execute(
        () -> {
          acceptor.stop();
          chat.shutdown();
        });
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      while (System.nanoTime() < deadline && openConnections() > 0) {
        Thread.sleep(20); // a shutdown poll, once per process; nothing waits on the loop for it
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalStateException e) {
      // The loop is already gone: nothing left to drain.
    }
    close();
  }

  /** Stops accepting, closes every connection and the store at once. Any thread. */
  @Override
  public void close() {
    loop.execute(acceptor::stop);
    loop.close();
    acceptor.stop(); // the loop is gone; make sure the port is released whatever it ran
    writer.close();
    if (accounts != null) {
      accounts.close();
    }
  }
}
