package dev.parley.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A real {@link Connection} over a scripted socket, for tests that drive handlers without the
 * kernel: the test puts the client's bytes in, says whether the client is reading, and calls {@link
 * #poll} where a selector would report the socket ready. What the connection writes while the
 * client reads goes to {@code received}. Loop thread only (the test's loop thread).
 */
public final class FakeSocket {
  private final Script channel;
  private final NullKey key;
  private final Connection connection;
  private boolean closed;

  public FakeSocket(
      EventLoop loop,
      InetSocketAddress remote,
      Connection.Limits limits,
      Function<Connection, ConnectionHandler> handlers,
      Consumer<ByteBuffer> received)
      throws IOException {
    this(loop, remote, limits, handlers, received, TransportLayer.PLAIN);
  }

  /** As above, with the connection's transport made by {@code layers} (TLS) over the script. */
  public FakeSocket(
      EventLoop loop,
      InetSocketAddress remote,
      Connection.Limits limits,
      Function<Connection, ConnectionHandler> handlers,
      Consumer<ByteBuffer> received,
      TransportLayer.Factory layers)
      throws IOException {
    channel = new Script(remote, received);
    key = new NullKey(channel);
    connection = new Connection(loop, channel, key, limits, layers, c -> closed = true);
    connection.bind(handlers.apply(connection));
  }

  public Connection connection() {
    return connection;
  }

  /** The connection was closed (its handler has heard of it). */
  public boolean isClosed() {
    return closed;
  }

  /** The client sends {@code bytes}; they wait "in the kernel" until the connection reads. */
  public void send(byte[] bytes) {
    channel.input.compact();
    if (channel.input.remaining() < bytes.length) {
      ByteBuffer bigger = ByteBuffer.allocate(channel.input.position() + bytes.length + 1024);
      channel.input.flip();
      bigger.put(channel.input);
      channel.input = bigger;
    }
    channel.input.put(bytes).flip();
  }

  /** The client half-closes: after its bytes, end of stream. */
  public void endInput() {
    channel.ended = true;
  }

  /** The client resets the connection: the server notices at once. */
  public void reset() {
    channel.reset = true;
    connection.closeLater("connection reset");
  }

  /** Whether the client takes what it is sent ({@link #poll} then writes); false at first. */
  public void reading(boolean on) {
    channel.reading = on;
    channel.allowance = Long.MAX_VALUE;
  }

  /** The client reads {@code bytes} more, then stops again (its socket buffer fills). */
  public void readUpTo(long bytes) {
    channel.reading = true;
    channel.allowance = bytes;
  }

  /**
   * Bytes the client sent that the server has not decoded (in the "kernel" or stashed) although the
   * connection is not on its way out.
   */
  public boolean hasUnreadInput() {
    return !closed
        && !connection.pauses().contains(Pause.CLOSING)
        && (channel.input.hasRemaining() || connection.holdsUnreadInput());
  }

  /** Bytes the client sent that are still "in the kernel": a select would report them. */
  public boolean kernelHoldsInput() {
    return channel.input.hasRemaining();
  }

  /** The interest ops the connection last gave its key. */
  public int interestOps() {
    return key.interestOps();
  }

  /** What a select would do now: the ready operations the key asks for, handled. */
  public void poll() {
    if (closed || !key.isValid()) {
      return;
    }
    int ready = 0;
    if ((key.interestOps() & SelectionKey.OP_READ) != 0
        && (channel.input.hasRemaining() || channel.ended)) {
      ready |= SelectionKey.OP_READ;
    }
    if ((key.interestOps() & SelectionKey.OP_WRITE) != 0
        && channel.reading
        && channel.allowance > 0) {
      ready |= SelectionKey.OP_WRITE;
    }
    if (ready != 0) {
      connection.onSelected(ready);
    }
  }

  /** The client's end of the socket. */
  private static final class Script extends NullChannel {
    private final Consumer<ByteBuffer> received;
    ByteBuffer input = ByteBuffer.allocate(0);
    boolean ended;
    boolean reset;
    boolean reading;
    long allowance = Long.MAX_VALUE; // bytes the client takes before it stops reading

    Script(InetSocketAddress remote, Consumer<ByteBuffer> received) {
      super(remote);
      this.received = received;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      if (reset) {
        throw new IOException("Connection reset");
      }
      if (!input.hasRemaining()) {
        return ended ? -1 : 0;
      }
      int n = Math.min(dst.remaining(), input.remaining());
      ByteBuffer slice = input.slice(input.position(), n);
      dst.put(slice);
      input.position(input.position() + n);
      return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      if (reset) {
        throw new IOException("Broken pipe");
      }
      if (!reading || allowance == 0) {
        return 0;
      }
      int n = (int) Math.min(src.remaining(), allowance);
      allowance -= n;
      received.accept(src.slice(src.position(), n));
      src.position(src.position() + n);
      return n;
    }
  }
}
