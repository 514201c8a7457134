package dev.parley.net;

import dev.parley.protocol.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * One layer of a connection's transport stack, between the socket and the line decoder: bytes for
 * the layer above come out of {@link #read}, bytes from it go in through {@link #write}. Plain TCP
 * ({@link PlainLayer}) passes them through; TLS ({@link TlsLayer}) decrypts and encrypts; the web
 * port's layers take the layer below them as their channel and sit on top of either. The {@link
 * Connection} above never knows which it has. Loop thread only; never blocks.
 *
 * <p>As a channel: {@link #read} returns -1 at the end of the stream and 0 when nothing can be read
 * now; {@link #write} returns the bytes it took (0: wait until the socket is writable) and keeps
 * nothing of {@code src} after it returns.
 *
 * <p>What a layer waits for is its own business (TLS: a handshake step, a read that needs a write,
 * a delegated task; WebSocket: a pong owed). The connection says what it wants ({@link
 * #interestOps}) and the layer answers which selector events serve that now, as Redis's TLS
 * connection type and Jetty's {@code SslConnection} keep their "wants read / wants write" to
 * themselves.
 */
public interface TransportLayer extends ByteChannel {

  /** Makes the layers of a new connection over its socket. */
  @FunctionalInterface
  interface Factory {
    TransportLayer open(SocketChannel channel, Host host) throws IOException;
  }

  /**
   * What a layer may ask of the connection it serves.
   *
   * @param progressed to run on the loop when work a layer did off the loop is over (a TLS
   *     handshake step): the connection then tries to read and write again
   * @param replace hands the connection the layer that carries it from now on, in place of the top
   *     one (the web port's HTTP head layer, once the WebSocket upgrade is answered, as Netty's
   *     handshaker replaces its handler in the pipeline); the top layer's {@link #read} that does
   *     it returns 0, and the connection goes on with the new layer
   */
  record Host(Runnable progressed, Consumer<TransportLayer> replace) {}

  /** True once the layer carries the peer's bytes (at once for plain TCP; after the handshake). */
  boolean isEstablished();

  /**
   * What establishing this layer is, in a few words ("TLS handshake"): a connection that breaks
   * before {@link #isEstablished} closes with "&lt;this&gt; failed: &lt;why&gt;" as its reason.
   */
  default String establishingStep() {
    return "TCP connection";
  }

  /**
   * True for a layer whose establishing is bounded on its own (TLS handshakes, {@link
   * TlsHandshakes}): its connection takes a {@code --max-clients} seat only once established, so
   * that handshakes never crowd established users out.
   */
  default boolean seatsWhenEstablished() {
    return false;
  }

  /**
   * The selector events to ask for, given what the connection wants: to read (no pause holds, no
   * input waits undecoded), to write (queued bytes are left over after a flush). A layer adds what
   * it needs for itself (output it holds, a write its read waits for) and leaves out what cannot
   * help now (reading while a write must go first; everything while work runs off the loop). When
   * {@code wantRead} gets no {@code OP_READ}, the connection reads at whatever event comes instead.
   */
  default int interestOps(boolean wantRead, boolean wantWrite) {
    return (wantRead ? SelectionKey.OP_READ : 0) | (wantWrite ? SelectionKey.OP_WRITE : 0);
  }

  /**
   * True when a read is due that no select would report: bytes for the layer above may wait inside
   * this layer rather than in the kernel, or the end of the input is due.
   */
  default boolean readsWithoutSelect() {
    return false;
  }

  /**
   * Writes what this layer holds of its own or of earlier writes, as far as the socket takes it.
   *
   * @return true when the layer holds nothing more to write
   */
  default boolean flushHeld() throws IOException {
    return true;
  }

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
  Factory PLAIN = (channel, host) -> new PlainLayer(channel);

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
