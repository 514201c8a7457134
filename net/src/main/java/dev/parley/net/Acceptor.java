package dev.parley.net;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerLine;
import dev.parley.protocol.Wire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections on the loop, makes each a {@link Connection}, and hands it to the factory
 * that gives it a handler. Over the connection cap a client gets {@code C ERR 503} as its only
 * line. Loop thread only (after {@link #open}), but for {@link #stop}.
 *
 * <p>When accepting fails (most often the process is out of file descriptors: "Too many open
 * files"), the connection stays in the kernel's backlog and the listening socket stays ready, so
 * trying again at once would fail again at once, in a hot loop. Instead OP_ACCEPT goes off for
 * {@link #ACCEPT_PAUSE_NANOS} and a loop timer turns it back on (Netty's server bootstrap does the
 * same for a second). Failures are reported at most once a minute, and the recovery after a report
 * once; connections refused while the server is full are reported once until there is room again.
 */
public final class Acceptor implements Selectable {
  private static final Logger LOG = LoggerFactory.getLogger(Acceptor.class);
  private static final int MAX_ACCEPTS_PER_EVENT = 64;

  /** How long accepting pauses after it failed before it is tried again. */
  public static final long ACCEPT_PAUSE_NANOS = 1_000_000_000L;

  /** Accept failures are reported at most this often, however often they come and go. */
  private static final long FAILURE_REPORT_INTERVAL_NANOS = 60_000_000_000L;

  /** One accept on the listening socket; a fake in tests, which cannot run out of descriptors. */
  @FunctionalInterface
  interface AcceptCall {
    SocketChannel accept(ServerSocketChannel server) throws IOException;
  }

  private static final byte[] SERVER_FULL =
      Wire.bytes(ServerLine.Error.of(ErrorCode.SERVER_FULL).format());

  private final EventLoop loop;
  private final ServerSocketChannel server;
  private final Connection.Limits limits;
  private final ClientCap cap; // shared by every port of the server
  private final Function<Connection, ConnectionHandler> handlers;
  private final AcceptCall acceptCall;
  private final long acceptPauseNanos;
  private final TransportLayer.Factory layers; // plain TCP, or TLS on a TLS port
  private SelectionKey key;
  private int open; // connections accepted on this port and not yet closed
  private volatile EventLoop.Timer resumeTimer; // turns OP_ACCEPT back on after a failure; or null
  private int failures; // accept failures (each a pause) since the last report
  private long lastFailureReport; // loop time of the last report of a failure
  private boolean reportRecovery; // a failure was reported; say when accepting works again
  private int refusedWhileFull; // connections refused since the server was last below its cap

  private Acceptor(
      EventLoop loop,
      ServerSocketChannel server,
      Connection.Limits limits,
      ClientCap cap,
      Function<Connection, ConnectionHandler> handlers,
      AcceptCall acceptCall,
      long acceptPauseNanos,
      TransportLayer.Factory layers) {
    this.layers = layers;
    this.loop = loop;
    this.server = server;
    this.limits = limits;
    this.cap = cap;
    this.handlers = handlers;
    this.acceptCall = acceptCall;
    this.acceptPauseNanos = acceptPauseNanos;
  }

  /** Binds {@code address} now (so a port in use fails at once); starts accepting on the loop. */
  public static Acceptor open(
      EventLoop loop,
      InetSocketAddress address,
      Connection.Limits limits,
      ClientCap cap,
      Function<Connection, ConnectionHandler> handlers)
      throws IOException {
    return open(loop, address, limits, cap, handlers, TransportLayer.PLAIN);
  }

  /** As above, with each connection's transport made by {@code layers} (TLS on a TLS port). */
  public static Acceptor open(
      EventLoop loop,
      InetSocketAddress address,
      Connection.Limits limits,
      ClientCap cap,
      Function<Connection, ConnectionHandler> handlers,
      TransportLayer.Factory layers)
      throws IOException {
    return open(
        loop,
        address,
        limits,
        cap,
        handlers,
        ServerSocketChannel::accept,
        ACCEPT_PAUSE_NANOS,
        layers);
  }

  /** As the public {@code open}, with the accept call and the pause after a failure given. */
  static Acceptor open(
      EventLoop loop,
      InetSocketAddress address,
      Connection.Limits limits,
      ClientCap cap,
      Function<Connection, ConnectionHandler> handlers,
      AcceptCall acceptCall,
      long acceptPauseNanos,
      TransportLayer.Factory layers)
      throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(address, 1024);
      server.configureBlocking(false);
    } catch (IOException e) {
      server.close();
      throw e;
    }
    Acceptor acceptor =
        new Acceptor(loop, server, limits, cap, handlers, acceptCall, acceptPauseNanos, layers);
    loop.execute(acceptor::register);
    return acceptor;
  }

  public InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) server.getLocalAddress();
  }

  /** Connections currently open. Loop thread. */
  public int openConnections() {
    return open;
  }

  /** Whether accepting is paused after a failure. Loop thread. */
  boolean acceptingPaused() {
    return resumeTimer != null;
  }

  /**
   * Stops accepting; connections already in are untouched. Loop thread, or any thread once the loop
   * has stopped (a server that closes makes sure its port is released).
   */
  public void stop() {
    EventLoop.Timer timer = resumeTimer;
    if (timer != null) {
      timer.cancel();
    }
    if (key != null) {
      key.cancel();
    }
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("error closing the listening socket", e);
    }
  }

  private void register() {
    try {
      key = loop.register(server, SelectionKey.OP_ACCEPT, this);
    } catch (IOException e) {
      LOG.error("cannot accept connections", e);
    }
  }

  @Override
  public void onSelected(int readyOps) throws IOException {
    for (int i = 0; i < MAX_ACCEPTS_PER_EVENT; i++) {
      SocketChannel channel;
      try {
        channel = acceptCall.accept(server);
      } catch (IOException e) {
        pauseAccepting(e);
        return;
      }
      if (channel == null) {
        return;
      }
      if (reportRecovery) {
        reportRecovery = false;
        LOG.info("accepting connections again");
      }
      if (cap.full()) {
        refuse(channel);
        continue;
      }
      if (refusedWhileFull > 0) {
        LOG.info(
            "below --max-clients {} again; {} connections were refused while full",
            cap.max(),
            refusedWhileFull);
        refusedWhileFull = 0;
      }
      try {
        accept(channel);
      } catch (TlsHandshakes.Refused e) {
        channel.close(); // counted and logged, at most once a second, by the handshakes
      } catch (IOException e) {
        LOG.info("could not set up a new connection: {}", e.toString());
        channel.close();
      }
    }
  }

  /**
   * Turns OP_ACCEPT off until a timer turns it on again: the failed connection waits in the
   * backlog, and trying again at once would fail again at once.
   */
  private void pauseAccepting(IOException cause) {
    failures++;
    long now = loop.now();
    if (lastFailureReport == 0 || now - lastFailureReport >= FAILURE_REPORT_INTERVAL_NANOS) {
      LOG.warn(
          "cannot accept connections ({}; {} failed attempts since the last report); trying again"
              + " every {} ms, the waiting clients stay in the backlog",
          cause.getMessage(),
          failures,
          acceptPauseNanos / 1_000_000);
      lastFailureReport = now == 0 ? 1 : now;
      failures = 0;
      reportRecovery = true;
    }
    key.interestOps(0);
    resumeTimer = loop.schedule(acceptPauseNanos, this::resumeAccepting);
  }

  private void resumeAccepting() {
    resumeTimer = null;
    if (key.isValid()) {
      key.interestOps(SelectionKey.OP_ACCEPT);
    }
  }

  private void accept(SocketChannel channel) throws IOException {
    channel.configureBlocking(false);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    SelectionKey connectionKey = loop.register(channel, SelectionKey.OP_READ, null);
    Connection connection = new Connection(loop, channel, connectionKey, limits, layers, seats);
    connectionKey.attach(connection);
    open++;
    if (!connection.seatsWhenEstablished()) {
      connection.seated = true;
      cap.taken();
    }
    connection.bind(handlers.apply(connection));
  }

  /**
   * Seats on the cap: taken when accepted, or for a TLS connection when its handshake is over (the
   * handshake bounds hold it until then); freed when closed.
   */
  private final Connection.Owner seats =
      new Connection.Owner() {
        @Override
        public void established(Connection connection) {
          if (connection.seated) {
            return;
          }
          if (cap.full()) {
            // Filled up during the handshake. Closed without C ERR 503, as at accept over TLS.
            refusedWhileFull++;
            connection.closeLater("server full");
            return;
          }
          connection.seated = true;
          cap.taken();
        }

        @Override
        public void closed(Connection connection) {
          open--;
          if (connection.seated) {
            connection.seated = false;
            cap.freed();
          }
        }
      };

  private void refuse(SocketChannel channel) {
    if (refusedWhileFull++ == 0) {
      LOG.info(
          "refusing connections: {} clients already connected (--max-clients); said once until"
              + " there is room again",
          cap.open());
    }
    if (layers != TransportLayer.PLAIN) {
      // Over TLS the 503 is not sent: it would take a handshake, CPU the server is short of when
      // it is full, and plain bytes would be garbage to a TLS client. The connection is closed.
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("could not close a refused connection", e);
      }
      return;
    }
    try (channel) {
      channel.configureBlocking(false);
      channel.write(ByteBuffer.wrap(SERVER_FULL));
    } catch (IOException e) {
      LOG.debug("could not tell a refused client the server is full", e);
    }
  }

  @Override
  public void onFailure(Throwable cause) {
    LOG.error("accepting connections failed", cause);
  }
}
