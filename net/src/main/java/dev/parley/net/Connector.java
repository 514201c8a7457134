package dev.parley.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The client's side of {@link Acceptor}, as Netty's {@code Bootstrap} beside its {@code
 * ServerBootstrap}: one outgoing connection, made without blocking on the loop, then served by the
 * same {@link Connection}, transport layers and outbound queue as every server connection. Loop
 * thread only.
 */
public final class Connector implements Selectable {
  private final EventLoop loop;
  private final SocketChannel channel;
  private final Connection.Limits limits;
  private final TransportLayer.Factory layers;
  private final Function<Peer, ConnectionHandler> handlers;
  private final Consumer<IOException> failed;
  private final EventLoop.Timer deadline;
  private SelectionKey key;
  private boolean over; // connected or failed: nothing more happens here

  private Connector(
      EventLoop loop,
      SocketChannel channel,
      Connection.Limits limits,
      TransportLayer.Factory layers,
      Function<Peer, ConnectionHandler> handlers,
      Consumer<IOException> failed,
      long timeoutNanos) {
    this.loop = loop;
    this.channel = channel;
    this.limits = limits;
    this.layers = layers;
    this.handlers = handlers;
    this.failed = failed;
    this.deadline =
        loop.schedule(timeoutNanos, () -> fail(new IOException("connecting timed out")));
  }

  /**
   * Connects to {@code address}: once the socket is connected, the connection's layers are made by
   * {@code layers} (a TLS client's handshake then runs in its first reads and writes) and its
   * handler by {@code handlers}; if the connect fails or takes longer than {@code timeoutNanos} on
   * the loop's clock, {@code failed} is told instead, once. Loop thread only.
   *
   * @return a handle to give up with ({@link #cancel})
   */
  public static Connector connect(
      EventLoop loop,
      InetSocketAddress address,
      Connection.Limits limits,
      TransportLayer.Factory layers,
      Function<Peer, ConnectionHandler> handlers,
      Consumer<IOException> failed,
      long timeoutNanos) {
    SocketChannel channel = null;
    Connector connector = null;
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      connector = new Connector(loop, channel, limits, layers, handlers, failed, timeoutNanos);
      if (channel.connect(address)) {
        connector.connected();
      } else {
        connector.key = loop.register(channel, SelectionKey.OP_CONNECT, connector);
      }
    } catch (IOException e) {
      if (connector != null) {
        connector.fail(e);
      } else {
        closeQuietly(channel);
        failed.accept(e);
      }
    }
    return connector;
  }

  /** Gives up a connect still under way; its {@code failed} is not told. */
  public void cancel() {
    if (!over) {
      over = true;
      deadline.cancel();
      closeQuietly(channel);
    }
  }

  @Override
  public void onSelected(int readyOps) throws IOException {
    if (over) {
      return;
    }
    try {
      if (channel.finishConnect()) {
        connected();
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  @Override
  public void onFailure(Throwable cause) {
    fail(new IOException(cause.toString(), cause));
  }

  private void connected() throws IOException {
    over = true;
    deadline.cancel();
    SelectionKey connectionKey = key;
    if (connectionKey == null) {
      connectionKey = loop.register(channel, SelectionKey.OP_READ, null);
    } else {
      connectionKey.interestOps(SelectionKey.OP_READ);
    }
    Connection connection =
        new Connection(loop, channel, connectionKey, limits, layers, closed -> {});
    connectionKey.attach(connection);
    connection.bind(handlers.apply(connection));
  }

  private void fail(IOException cause) {
    if (over) {
      return;
    }
    over = true;
    deadline.cancel();
    closeQuietly(channel);
    failed.accept(cause);
  }

  private static void closeQuietly(SocketChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // nothing was said on it yet
    }
  }
}
