package dev.parley.server.net;

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
 * line. Loop thread only (after {@link #open}).
 */
public final class Acceptor implements Selectable {
  private static final Logger LOG = LoggerFactory.getLogger(Acceptor.class);
  private static final int MAX_ACCEPTS_PER_EVENT = 64;
  private static final byte[] SERVER_FULL =
      Wire.bytes(ServerLine.Error.of(ErrorCode.SERVER_FULL).format());

  private final EventLoop loop;
  private final ServerSocketChannel server;
  private final Connection.Limits limits;
  private final int maxClients;
  private final Function<Connection, ConnectionHandler> handlers;
  private SelectionKey key;
  private int open; // connections accepted and not yet closed

  private Acceptor(
      EventLoop loop,
      ServerSocketChannel server,
      Connection.Limits limits,
      int maxClients,
      Function<Connection, ConnectionHandler> handlers) {
    this.loop = loop;
    this.server = server;
    this.limits = limits;
    this.maxClients = maxClients;
    this.handlers = handlers;
  }

  /** Binds {@code address} now (so a port in use fails at once); starts accepting on the loop. */
  public static Acceptor open(
      EventLoop loop,
      InetSocketAddress address,
      Connection.Limits limits,
      int maxClients,
      Function<Connection, ConnectionHandler> handlers)
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
    Acceptor acceptor = new Acceptor(loop, server, limits, maxClients, handlers);
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

  /**
   * Stops accepting; connections already in are untouched. Loop thread, or any thread once the loop
   * has stopped (the server's close makes sure the port is released).
   */
  public void stop() {
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
      SocketChannel channel = server.accept();
      if (channel == null) {
        return;
      }
      if (open >= maxClients) {
        refuse(channel);
        continue;
      }
      try {
        accept(channel);
      } catch (IOException e) {
        LOG.info("could not set up a new connection: {}", e.toString());
        channel.close();
      }
    }
  }

  private void accept(SocketChannel channel) throws IOException {
    channel.configureBlocking(false);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    SelectionKey connectionKey = loop.register(channel, SelectionKey.OP_READ, null);
    Connection connection = new Connection(loop, channel, connectionKey, limits, this::closed);
    connectionKey.attach(connection);
    open++;
    connection.bind(handlers.apply(connection));
  }

  private void closed(Connection connection) {
    open--;
  }

  private void refuse(SocketChannel channel) {
    LOG.info("refusing a connection: {} clients already connected", open);
    try (channel) {
      channel.configureBlocking(false);
      channel.write(ByteBuffer.wrap(SERVER_FULL));
    } catch (IOException e) {
      LOG.debug("could not tell a refused client the server is full", e);
    }
  }

  @Override
  public void onFailure(Exception cause) {
    LOG.error("accepting connections failed", cause);
  }
}
