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
import dev.parley.server.net.TlsLayer;
import dev.parley.server.net.TransportLayer;
import dev.parley.server.tls.TlsConfig;
import dev.parley.server.tls.TlsCredentials;
import dev.parley.server.web.WebConfig;
import dev.parley.server.web.WebLayer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Wires the parts of a chat server together, starts them and stops them; nothing else. */
public final class ChatServer implements AutoCloseable {
  /** Threads for the TLS engines' delegated tasks (handshake crypto), off the loop. */
  private static final int TLS_TASK_THREADS = 2;

  private final EventLoop loop;
  private final List<Acceptor> acceptors; // plain TCP and/or TLS
  private final TlsCredentials tls; // null without a TLS port
  private final ExecutorService tlsTasks; // the TLS engines' delegated tasks; null without TLS
  private final ChatService chat;
  private final HistoryWriter writer;
  private final Accounts accounts; // null when accounts are off
  private final InetSocketAddress address; // the plain port's, or null when it is off
  private final InetSocketAddress tlsAddress; // null without a TLS port
  private final InetSocketAddress webAddress; // null without a web port

  private ChatServer(
      EventLoop loop,
      Acceptor plain,
      Acceptor secure,
      Acceptor browsers,
      TlsCredentials tls,
      ExecutorService tlsTasks,
      ChatService chat,
      HistoryWriter writer,
      Accounts accounts)
      throws IOException {
    this.accounts = accounts;
    this.loop = loop;
    this.acceptors = new ArrayList<>();
    this.tls = tls;
    this.tlsTasks = tlsTasks;
    this.chat = chat;
    this.writer = writer;
    this.address = plain == null ? null : plain.localAddress();
    this.tlsAddress = secure == null ? null : secure.localAddress();
    if (plain != null) {
      acceptors.add(plain);
    }
    if (secure != null) {
      acceptors.add(secure);
    }
    this.webAddress = browsers == null ? null : browsers.localAddress();
    if (browsers != null) {
      acceptors.add(browsers);
    }
  }

  /**
   * Opens the configured store, binds, starts the loop and returns; throws when the store cannot be
   * opened or the address cannot be bound.
   */
  public static ChatServer start(ServerConfig config) throws IOException, StoreException {
    return start(config, (TlsConfig) null);
  }

  /** As {@link #start(ServerConfig)}, with a TLS port when {@code tls} is not null. */
  public static ChatServer start(ServerConfig config, TlsConfig tls)
      throws IOException, StoreException {
    return start(config, tls, (WebConfig) null);
  }

  /** As above, with a web port (the page and WebSocket) when {@code web} is not null. */
  public static ChatServer start(ServerConfig config, TlsConfig tls, WebConfig web)
      throws IOException, StoreException {
    return start(config, tls, web, Machine.real());
  }

  /** As {@link #start(ServerConfig)} on a given {@link Machine}. */
  public static ChatServer start(ServerConfig config, Machine machine)
      throws IOException, StoreException {
    return start(config, (TlsConfig) null, (WebConfig) null, machine);
  }

  private static ChatServer start(
      ServerConfig config, TlsConfig tls, WebConfig web, Machine machine)
      throws IOException, StoreException {
    // The certificate first: a bad one should not leave a store opened behind it.
    TlsCredentials credentials = tls == null ? null : TlsCredentials.load(tls);
    HistoryStore store =
        config.store() == ServerConfig.StoreKind.MEMORY
            ? new InMemoryHistoryStore()
            : SqliteHistoryStore.open(config.dataDir());
    return start(config, tls, web, credentials, store, Clock.systemUTC(), machine);
  }

  /** As {@link #start(ServerConfig)} with a given store (closed with the server) and clock. */
  public static ChatServer start(ServerConfig config, HistoryStore store, Clock clock)
      throws IOException, StoreException {
    return start(config, null, store, clock);
  }

  /** As {@link #start(ServerConfig, HistoryStore, Clock)} on a given {@link Machine}. */
  public static ChatServer start(
      ServerConfig config, HistoryStore store, Clock clock, Machine machine)
      throws IOException, StoreException {
    return start(config, null, null, null, store, clock, machine);
  }

  /** As {@link #start(ServerConfig, TlsConfig)} with a given store and clock. */
  public static ChatServer start(
      ServerConfig config, TlsConfig tls, HistoryStore store, Clock clock)
      throws IOException, StoreException {
    return start(config, tls, null, store, clock);
  }

  /** As {@link #start(ServerConfig, TlsConfig, WebConfig)} with a given store and clock. */
  public static ChatServer start(
      ServerConfig config, TlsConfig tls, WebConfig web, HistoryStore store, Clock clock)
      throws IOException, StoreException {
    if (web != null && web.tls() && tls == null) {
      throw new IllegalArgumentException("https on the web port needs the TLS settings");
    }
    TlsCredentials credentials;
    try {
      credentials = tls == null ? null : TlsCredentials.load(tls);
    } catch (IOException e) {
      try {
        store.close(); // the server owns the store from here: it is not left open
      } catch (StoreException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return start(config, tls, web, credentials, store, clock, Machine.real());
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

  private static ChatServer start(
      ServerConfig config,
      TlsConfig tls,
      WebConfig web,
      TlsCredentials credentials,
      HistoryStore store,
      Clock clock,
      Machine machine)
      throws IOException, StoreException {
    store.setAccountsOn(config.accounts());
    EventLoop loop = new EventLoop("parley-loop", machine.loopClock());
    // A store that never blocks may run on the loop; any other gets a thread of its own.
    HistoryWriter writer =
        store instanceof InMemoryHistoryStore
            ? new InlineHistoryWriter(store)
            : new ThreadedHistoryWriter(store, loop);
    Accounts accounts = null;
    ExecutorService tlsTasks = null;
    Acceptor plain = null;
    Acceptor secure = null;
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
      Connection.Limits limits =
          Connection.Limits.of(config.maxLineBytes(), config.maxQueueBytes());
      InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
      if (tls == null || !tls.plainOff()) {
        plain = Acceptor.open(loop, address, limits, config.maxClients(), chat::open);
      }
      if (tls != null) {
        tlsTasks = Executors.newFixedThreadPool(TLS_TASK_THREADS, ChatServer::tlsTaskThread);
        TransportLayer.Factory layers = TlsLayer.factory(credentials, tlsTasks, loop);
        InetSocketAddress tlsAddress = new InetSocketAddress(config.host(), tls.port());
        secure = Acceptor.open(loop, tlsAddress, limits, config.maxClients(), chat::open, layers);
      }
      Acceptor browsers = null;
      if (web != null) {
        TransportLayer.Factory below =
            web.tls() ? TlsLayer.factory(credentials, tlsTasks, loop) : TransportLayer.PLAIN;
        InetSocketAddress webAddress = new InetSocketAddress(config.host(), web.port());
        browsers =
            Acceptor.open(
                loop,
                webAddress,
                limits,
                config.maxClients(),
                chat::open,
                WebLayer.factory(below, web));
      }
      ChatServer server =
          new ChatServer(
              loop, plain, secure, browsers, credentials, tlsTasks, chat, writer, accounts);
      loop.start();
      return server;
    } catch (IOException | StoreException | RuntimeException e) {
      if (plain != null) {
        plain.stop();
      }
      if (secure != null) {
        secure.stop();
      }
      if (tlsTasks != null) {
        tlsTasks.shutdownNow();
      }
      loop.close();
      writer.close();
      if (accounts != null) {
        accounts.close();
      }
      throw e;
    }
  }

  /** The plain TCP port's address; null when the server is TLS-only. */
  public InetSocketAddress address() {
    return address;
  }

  /** The plain TCP port; -1 when the server is TLS-only. */
  public int port() {
    return address == null ? -1 : address.getPort();
  }

  /** The TLS port's address; null without TLS. */
  public InetSocketAddress tlsAddress() {
    return tlsAddress;
  }

  /** The web port's address (the page and WebSocket); null without one. */
  public InetSocketAddress webAddress() {
    return webAddress;
  }

  /**
   * Loads the TLS certificate and key again for the handshakes to come (SIGHUP); a pair that does
   * not load leaves the current one in use and logs why. Any thread. False without TLS too.
   */
  public boolean reloadTls() {
    return tls != null && tls.reload();
  }

  private static Thread tlsTaskThread(Runnable task) {
    Thread thread = new Thread(task, "parley-tls-tasks");
    thread.setDaemon(true);
    return thread;
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
    return onLoop(() -> acceptors.stream().mapToInt(Acceptor::openConnections).sum());
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
              connectionsByTransport());
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

  private Map<String, Long> connectionsByTransport() {
    Map<String, Long> counts = new TreeMap<>();
    for (Acceptor acceptor : acceptors) {
      counts.merge(acceptor.transportName(), (long) acceptor.openConnections(), Long::sum);
    }
    return counts;
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
          acceptors.forEach(Acceptor::stop);
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
    loop.execute(() -> acceptors.forEach(Acceptor::stop));
    loop.close();
    // The loop is gone; make sure the ports are released whatever it ran.
    acceptors.forEach(Acceptor::stop);
    if (tlsTasks != null) {
      tlsTasks.shutdownNow();
    }
    writer.close();
    if (accounts != null) {
      accounts.close();
    }
  }
}
