package dev.parley.server.net;

import dev.parley.protocol.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;

/**
 * One layer of a connection's transport stack, between the socket and the line decoder: bytes for
 * the layer above come out of {@link #read}, bytes from it go in through {@link #write}. Plain TCP
 * ({@link PlainLayer}) passes them through; TLS ({@link TlsLayer}) decrypts and encrypts; a
 * WebSocket framing layer would take the layer below it as its channel and sit on top of either.
 * The {@link Connection} above never knows which it has. Loop thread only; never blocks.
 *
 * <p>As a channel: {@link #read} returns -1 at the end of the stream and 0 when nothing can be read
 * now; {@link #write} returns the bytes it took (0: wait until the socket is writable) and keeps
 * nothing of {@code src} after it returns.
 */
public interface TransportLayer extends ByteChannel {

  /** Makes the layers of a new connection over its socket. */
  @FunctionalInterface
  interface Factory {
    /**
     * @param progressed to run on the loop when work this layer did off the loop is over (a TLS
     *     handshake step): the connection then tries to read and write again
     */
    TransportLayer open(SocketChannel channel, Runnable progressed) throws IOException;
  }

  /** True once the layer carries the peer's bytes (at once for plain TCP; after the handshake). */
  boolean isEstablished();

  /**
   * What establishing this layer is, in a few words ("TLS handshake"): a connection that breaks
   * before {@link #isEstablished} closes with "&lt;this&gt; failed: &lt;why&gt;" as its reason.
   */
  String establishingStep();

  /**
   * True while the layer can do nothing until work off the loop is done: the connection asks the
   * selector for nothing meanwhile, and the layer's {@code progressed} hook wakes it.
   */
  default boolean isBusy() {
    return false;
  }

  /**
   * True for a layer whose establishing is bounded on its own (TLS handshakes, {@link
   * TlsHandshakes}): its connection takes a {@code --max-clients} seat only once established, so
   * that handshakes never crowd established users out.
   */
  default boolean seatsWhenEstablished() {
    return false;
  }

  /** True while a write cannot go on before the peer's next bytes are read (a handshake step). */
  default boolean writeWaitsForRead() {
    return false;
  }

  /** True while a read cannot go on before bytes this layer holds are written. */
  default boolean readWaitsForWrite() {
    return false;
  }

  /**
   * True when bytes for the layer above may wait inside this layer rather than in the kernel, so no
   * select would report them: the connection reads again without waiting for one.
   */
  default boolean hasBufferedInput() {
    return false;
  }

  /** True while bytes taken by {@link #write} are held here, not yet given to the socket. */
  default boolean holdsOutput() {
    return false;
  }

  /** Writes what {@link #holdsOutput} holds, as far as the socket takes it. */
  default void flushHeld() throws IOException {}

  /**
   * What to queue for {@code lines}, whole lines: the lines themselves, or (WebSocket) the same
   * lines framed. A layer that frames answers the same buffer for the same lines, so a line fanned
   * out to many connections of its port is framed once and shared like the line itself.
   */
  default ByteBuffer framed(ByteBuffer lines) {
    return lines;
  }

  /**
   * What was wrong with a line the line decoder refused, as this layer knows it: the next refused
   * line read through it is asked about, in order. A layer that marks messages the line protocol
   * cannot carry with bytes that are never UTF-8 (WebSocket) names the message's fault.
   */
  default Frame.Fault explain(Frame.Fault fault) {
    return fault;
  }

  /** Says goodbye if the protocol has one (TLS {@code close_notify}), best effort, and closes. */
  @Override
  void close() throws IOException;

  /** Plain TCP for every connection of a port. */
  Factory PLAIN = (channel, progressed) -> new PlainLayer(channel);

  /** Plain TCP. */
  final class PlainLayer implements TransportLayer {
    private final SocketChannel channel;

    PlainLayer(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return channel.write(src);
    }

    @Override
    public boolean isEstablished() {
      return true;
    }

    /** Never asked: a plain connection is established once accepted, and only gets lost. */
    @Override
    public String establishingStep() {
      return "TCP connection";
    }

    @Override
    public boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
