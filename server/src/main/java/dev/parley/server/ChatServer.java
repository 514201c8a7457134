package dev.parley.server;

import dev.parley.net.Acceptor;
import dev.parley.net.ClientCap;
import dev.parley.net.Connection;
import dev.parley.net.EventLoop;
import dev.parley.net.TlsHandshakes;
import dev.parley.net.TlsLayer;
import dev.parley.net.TransportLayer;
import dev.parley.server.account.Accounts;
import dev.parley.server.account.PasswordHasher;
import dev.parley.server.account.SignInThrottle;
import dev.parley.server.chat.ChatService;
import dev.parley.server.metrics.PrometheusText;
import dev.parley.server.store.InMemoryStore;
import dev.parley.server.store.InlineStoreWriter;
import dev.parley.server.store.SqliteStore;
import dev.parley.server.store.Store;
import dev.parley.server.store.StoreException;
import dev.parley.server.store.StoreWriter;
import dev.parley.server.store.ThreadedStoreWriter;
import dev.parley.server.tls.TlsConfig;
import dev.parley.server.tls.TlsCredentials;
import dev.parley.server.web.HttpHeadLayer;
import dev.parley.server.web.OwnNames;
import dev.parley.server.web.WebConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Wires the parts of a chat server together, starts them and stops them; nothing else. {@link
 * #start(ServerConfig)} starts one from its config alone, {@link #with(ServerConfig)} with a TLS
 * port, a web port, a given store or clocks besides.
 */
public final class ChatServer implements AutoCloseable {
  /** Threads for the TLS engines' delegated tasks (handshake crypto), off the loop. */
  private static final int TLS_TASK_THREADS = 2;

  private final EventLoop loop;
  private final List<Acceptor> acceptors; // plain TCP, TLS and the web port, those that are on
  private final Map<Acceptor, String> transports = new HashMap<>(); // metrics label per port
  private final TlsCredentials tls; // null without a TLS port
  private final ExecutorService tlsTasks; // the TLS engines' delegated tasks; null without TLS
  private final TlsHandshakes handshakes; // the TLS handshakes under way; null without TLS
  private final ChatService chat;
  private final StoreWriter writer;
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
      TlsHandshakes handshakes,
      ChatService chat,
      StoreWriter writer,
      Accounts accounts)
      throws IOException {
    this.handshakes = handshakes;
    this.accounts = accounts;
    this.loop = loop;
    this.acceptors = new ArrayList<>();
    this.tls = tls;
    this.tlsTasks = tlsTasks;
    this.chat = chat;
    this.writer = writer;
    this.address = plain == null ? null : plain.localAddress();
    this.tlsAddress = secure == null ? null : secure.localAddress();
    this.webAddress = browsers == null ? null : browsers.localAddress();
    addPort(plain, "tcp");
    addPort(secure, "tls");
    addPort(browsers, "websocket");
  }

  private void addPort(Acceptor acceptor, String transport) {
    if (acceptor != null) {
      acceptors.add(acceptor);
      transports.put(acceptor, transport);
    }
  }

  /**
   * Opens the configured store, binds, starts the loop and returns; throws when the store cannot be
   * opened or the address cannot be bound. The same as {@code with(config).start()}.
   */
  public static ChatServer start(ServerConfig config) throws IOException, StoreException {
    return with(config).start();
  }

  /**
   * A server on {@code config} with optional parts besides, started by {@link Builder#start()}:
   *
   * <pre>{@code ChatServer.with(config).tls(tls).web(web).start()}</pre>
   */
  public static Builder with(ServerConfig config) {
    return new Builder(config);
  }

  /**
   * What a server is started with beyond its {@link ServerConfig}; every part is optional and a
   * null leaves it at its default. One thread fills it in and starts it.
   */
  public static final class Builder {
    private final ServerConfig config;
    private TlsConfig tls; // null: no TLS port
    private WebConfig web; // null: no web port
    private Store store; // null: the one the config names, opened by start()
    private Clock clock = Clock.systemUTC(); // the time stamped on messages
    private Machine machine = Machine.real();

    private Builder(ServerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** A TLS port when {@code tls} is not null. */
    public Builder tls(TlsConfig tls) {
      this.tls = tls;
      return this;
    }

    /** A web port (the page and WebSocket) when {@code web} is not null. */
    public Builder web(WebConfig web) {
      this.web = web;
      return this;
    }

    /**
     * This store instead of the one the config names. The server owns it once {@link #start()} is
     * called and closes it, also when the start fails; only settings that start rejects with an
     * {@link IllegalArgumentException} leave it to the caller.
     */
    public Builder store(Store store) {
      this.store = store;
      return this;
    }

    /** The clock messages are stamped with; the system's UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = clock == null ? Clock.systemUTC() : clock;
      return this;
    }

    /** The loop clock and hasher; {@link Machine#real()} by default. */
    public Builder machine(Machine machine) {
      this.machine = machine == null ? Machine.real() : machine;
      return this;
    }

    /**
     * Loads the certificate, opens the store unless one was given, binds, starts the loop and
     * returns; throws when any of these fails, leaving nothing open.
     *
     * @throws IllegalArgumentException when the web port is to speak https without TLS settings
     */
    public ChatServer start() throws IOException, StoreException {
      if (web != null && web.tls() && tls == null) {
        throw new IllegalArgumentException("https on the web port needs the TLS settings");
      }
      // The certificate first: a bad one should not leave a store opened behind it.
      TlsCredentials credentials;
      try {
        credentials = tls == null ? null : TlsCredentials.load(tls);
      } catch (IOException e) {
        if (store != null) {
          try {
            store.close(); // the server owns the given store from here: it is not left open
          } catch (StoreException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw e;
      }
      Store opened = store != null ? store : openStore(config);
      return wireAndStart(config, tls, web, credentials, opened, clock, machine);
    }
  }

  private static Store openStore(ServerConfig config) throws StoreException {
    return config.store() == ServerConfig.StoreKind.MEMORY
        ? new InMemoryStore()
        : SqliteStore.open(config.dataDir());
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

  private static ChatServer wireAndStart(
      ServerConfig config,
      TlsConfig tls,
      WebConfig web,
      TlsCredentials credentials,
      Store store,
      Clock clock,
      Machine machine)
      throws IOException, StoreException {
    store.setAccountsOn(config.accounts());
    EventLoop loop = new EventLoop("parley-loop", machine.loopClock());
    // A store that never blocks may run on the loop; any other gets a thread of its own.
    StoreWriter writer =
        store instanceof InMemoryStore
            ? new InlineStoreWriter(store)
            : new ThreadedStoreWriter(store, loop);
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
                  new SignInThrottle(loop.clock(), config.maxFailedSignInsPerMinute()),
                  writer,
                  loop,
                  config.maxPasswordChecks(),
                  config.maxPasswordChecksPerAddress())
              : null;
      ChatService chat = new ChatService(loop, config, store, writer, accounts, clock);
      Connection.Limits limits =
          Connection.Limits.of(config.maxLineBytes(), config.maxQueueBytes());
      InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
      ClientCap cap = new ClientCap(config.maxClients()); // one for every port
      if (tls == null || !tls.plainOff()) {
        plain = Acceptor.open(loop, address, limits, cap, chat::open);
      }
      TlsHandshakes handshakes = null; // one bound for the TLS port and https on the web port
      if (tls != null) {
        tlsTasks = Executors.newFixedThreadPool(TLS_TASK_THREADS, ChatServer::tlsTaskThread);
        handshakes =
            new TlsHandshakes(
                tls.maxHandshakes(),
                tls.maxHandshakesPerAddress(),
                TLS_TASK_THREADS,
                tlsTasks,
                loop);
        TransportLayer.Factory layers = TlsLayer.factory(credentials, handshakes);
        InetSocketAddress tlsAddress = new InetSocketAddress(config.host(), tls.port());
        secure = Acceptor.open(loop, tlsAddress, limits, cap, chat::open, layers);
      }
      Acceptor browsers = null;
      if (web != null) {
        TransportLayer.Factory below =
            web.tls() ? TlsLayer.factory(credentials, handshakes) : TransportLayer.PLAIN;
        InetSocketAddress webAddress = new InetSocketAddress(config.host(), web.port());
        browsers =
            Acceptor.open(
                loop,
                webAddress,
                limits,
                cap,
                chat::open,
                HttpHeadLayer.factory(
                    below,
                    web,
                    OwnNames.of(config.host(), web.tls() ? credentials::names : List::of),
                    limits.maxLineBytes()));
      }
      ChatServer server =
          new ChatServer(
              loop,
              plain,
              secure,
              browsers,
              credentials,
              tlsTasks,
              handshakes,
              chat,
              writer,
              accounts);
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
          if (handshakes != null) {
            out.gauge(
                    "parley_tls_handshakes",
                    "TLS handshakes under way now (they hold no --max-clients seat).",
                    handshakes.inProgress())
                .counter(
                    "parley_tls_handshakes_refused_total",
                    "TLS connections closed when accepted: --max-tls-handshakes(-per-address).",
                    handshakes.refused())
                .counter(
                    "parley_tls_tasks_total",
                    "TLS handshake crypto tasks (key exchange, signature) run.",
                    handshakes.tasksRun())
                .counter(
                    "parley_tls_tasks_skipped_total",
                    "TLS handshake crypto tasks not run: the client had gone.",
                    handshakes.tasksSkipped());
          }
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
      counts.merge(transports.get(acceptor), (long) acceptor.openConnections(), Long::sum);
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
