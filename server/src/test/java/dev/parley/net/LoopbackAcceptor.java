package dev.parley.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.function.Function;

/** An acceptor for tests of the net package: 127.0.0.1, a free port, small limits, 10 clients. */
final class LoopbackAcceptor {
  private LoopbackAcceptor() {}

  static Acceptor open(EventLoop loop, Function<Connection, ConnectionHandler> handlers)
      throws IOException {
    return open(loop, handlers, ServerSocketChannel::accept, Acceptor.ACCEPT_PAUSE_NANOS);
  }

  /** With the accept call and the pause after a failed accept given. */
  static Acceptor open(
      EventLoop loop,
      Function<Connection, ConnectionHandler> handlers,
      Acceptor.AcceptCall acceptCall,
      long acceptPauseNanos)
      throws IOException {
    return Acceptor.open(
        loop,
        new InetSocketAddress("127.0.0.1", 0),
        Connection.Limits.of(4096, 64 * 1024),
        new ClientCap(10),
        handlers,
        acceptCall,
        acceptPauseNanos,
        TransportLayer.PLAIN);
  }
}
