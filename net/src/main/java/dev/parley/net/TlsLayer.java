package dev.parley.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import tlschannel.ClientTlsChannel;
import tlschannel.NeedsReadException;
import tlschannel.NeedsTaskException;
import tlschannel.NeedsWriteException;
import tlschannel.ServerTlsChannel;
import tlschannel.TlsChannel;

/**
 * TLS over the socket, on tls-channel's {@link ServerTlsChannel} (or, for a client, its {@code
 * ClientTlsChannel}: {@link #client}) (a non-blocking {@code SSLEngine} driver made for selector
 * loops): decrypts what is read, encrypts what is written. Its "would block" signals become this
 * layer's state, which it turns into interest ops itself ({@link #interestOps}), so the {@link
 * Connection} never knows a handshake is under way; the engine's delegated tasks (key exchange,
 * signatures) run off the loop through {@link TlsHandshakes}, which bounds the handshakes under way
 * and skips the task of a peer that has gone, and the connection is told through the loop's queue
 * when one is done.
 *
 * <p>Encryption is per connection, so unlike plain TCP a message shared by a thousand recipients is
 * encrypted a thousand times; the queue still holds the one shared buffer, and the plain text is
 * staged once per write as for plain TCP.
 */
public final class TlsLayer implements TransportLayer {
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  /**
   * Mozilla's "intermediate" suites less DHE: TLS 1.3's three, and for TLS 1.2 only ECDHE (forward
   * secrecy) with an AEAD cipher. No CBC (padding oracles, Lucky13), no static RSA key exchange (no
   * forward secrecy); every client of the last decade has one of these. DHE is left out: it would
   * only serve clients without ECDHE, and costs several times the CPU per handshake.
   */
  static final String[] CIPHER_SUITES = {
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
  };

  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

  private final TlsChannel tls;
  private final ProbedSocket socket;
  private final InetAddress address;
  private final TlsHandshakes handshakes;
  private final Runnable progressed;
  private boolean established; // the handshake finished
  private boolean counted; // admitted by the handshakes and not yet ended there
  private boolean peerLeft; // the peer had gone when asked before crypto was spent on it
  private boolean busy; // a delegated task waits or runs
  private boolean taskRunning; // a delegated task runs on a crypto thread now
  private boolean writeWaitsForRead;
  private boolean readWaitsForWrite;
  private boolean holdsOutput; // encrypted bytes the socket did not take yet
  private boolean mayHoldInput; // the last read filled its buffer: more may be decrypted already

  /** Makes tls-channel's channel over the socket; {@code handshakeOver} runs when it is done. */
  @FunctionalInterface
  private interface Side {
    TlsChannel over(ByteChannel socket, Consumer<SSLSession> handshakeOver);
  }

  private TlsLayer(
      SocketChannel channel,
      InetAddress address,
      TlsHandshakes handshakes,
      Runnable progressed,
      Side side) {
    this.socket = new ProbedSocket(channel);
    this.address = address;
    this.handshakes = handshakes;
    this.progressed = progressed;
    this.tls = side.over(socket, session -> handshakeOver());
  }

  /** The server's side: the certificate asked for per hello, buffers lent from {@code buffers}. */
  private static Side server(Supplier<SSLContext> contexts, TlsBuffers buffers) {
    // The context is asked for when the client's hello arrives, so a reloaded certificate serves
    // every connection whose handshake starts after the reload.
    return (socket, handshakeOver) ->
        ServerTlsChannel.newBuilder(socket, name -> Optional.of(contexts.get()))
            .withEngineFactory(TlsLayer::engine)
            .withRunTasks(false)
            .withReleaseBuffers(true) // an idle connection holds no TLS buffers
            .withPlainBufferAllocator(buffers) // lent per call from the loop's pool
            .withEncryptedBufferAllocator(buffers)
            .withSessionInitCallback(handshakeOver::accept)
            .build();
  }

  /**
   * A factory for a client's connections (the console client's), as Netty's {@code SslHandler}
   * serves both sides: {@code engines} makes each connection's client-mode engine (trust, server
   * name, host name check), {@code check} may refuse the session once the handshake is over (by
   * throwing, which fails the handshake), and the delegated tasks run on {@code tasks}, their end
   * told through {@code loop}.
   */
  public static Factory client(
      Supplier<SSLEngine> engines, Consumer<SSLSession> check, Executor tasks, Executor loop) {
    TlsHandshakes handshakes = TlsHandshakes.unbounded(tasks, loop);
    return (channel, host) -> {
      InetAddress address = ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
      Side side =
          (socket, handshakeOver) ->
              ClientTlsChannel.newBuilder(socket, engines.get())
                  .withRunTasks(false)
                  .withReleaseBuffers(true)
                  .withSessionInitCallback(
                      session -> {
                        check.accept(session);
                        handshakeOver.accept(session);
                      })
                  .build();
      TlsLayer layer = new TlsLayer(channel, address, handshakes, host.progressed(), side);
      handshakes.admit(layer);
      layer.counted = true;
      return layer;
    };
  }

  /**
   * A factory for the connections of one TLS port (or several sharing {@code handshakes}). A
   * connection beyond the handshakes' bounds fails to open with an {@link IOException} the acceptor
   * knows, and is closed before anything is read.
   *
   * @param contexts the current certificate and key, asked once per handshake
   * @param handshakes the bounds on handshakes under way and where their tasks run; the
   *     connections' buffers are lent from a pool of this factory, so its connections must all live
   *     on the loop of {@code handshakes}
   */
  public static Factory factory(Supplier<SSLContext> contexts, TlsHandshakes handshakes) {
    TlsBuffers buffers = new TlsBuffers();
    return (channel, host) -> {
      InetAddress address = ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
      TlsLayer layer =
          new TlsLayer(channel, address, handshakes, host.progressed(), server(contexts, buffers));
      handshakes.admit(layer); // nothing was read yet: a refused layer is simply dropped
      layer.counted = true;
      return layer;
    };
  }

  /** As above with no bound on handshakes, each task run on {@code tasks} (tests). */
  public static Factory factory(Supplier<SSLContext> contexts, Executor tasks, Executor loop) {
    return factory(contexts, TlsHandshakes.unbounded(tasks, loop));
  }

  private static SSLEngine engine(SSLContext context) {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setEnabledProtocols(PROTOCOLS);
    engine.setEnabledCipherSuites(CIPHER_SUITES);
    return engine;
  }

  private void handshakeOver() {
    established = true;
    endHandshake();
  }

  private void endHandshake() {
    if (counted) {
      counted = false;
      handshakes.ended(this);
    }
  }

  /** The client's address, which the per-address bound counts by. */
  InetAddress address() {
    return address;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    checkPeerStayed();
    if (busy) {
      return 0;
    }
    writeWaitsForRead = false;
    readWaitsForWrite = false;
    int start = dst.position();
    try {
      // tls-channel returns after each record: go on while records are there to decrypt.
      while (dst.hasRemaining()) {
        int n = tls.read(dst);
        if (n < 0) {
          return dst.position() > start ? dst.position() - start : -1;
        }
      }
      mayHoldInput = true;
    } catch (NeedsReadException e) {
      mayHoldInput = false;
    } catch (NeedsWriteException e) {
      readWaitsForWrite = true;
    } catch (NeedsTaskException e) {
      runOffLoop(e.getTask());
    } catch (SSLException e) {
      sendAlert();
      throw e;
    }
    return dst.position() - start;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    checkPeerStayed();
    if (busy) {
      return 0;
    }
    int start = src.position();
    boolean wasEstablished = established;
    try {
      tls.write(src);
      holdsOutput = false;
    } catch (NeedsWriteException e) {
      // What the engine already wrapped waits in tls-channel's buffer; src moved past it.
      holdsOutput = true;
    } catch (NeedsReadException e) {
      writeWaitsForRead = true;
    } catch (NeedsTaskException e) {
      runOffLoop(e.getTask());
    } catch (SSLException e) {
      sendAlert();
      throw e;
    } finally {
      if (!wasEstablished && established) {
        // A write before the handshake is over drives it, reading the peer's last handshake
        // records from the socket, and with them whatever the peer sent right behind them (its
        // first line): those bytes now wait in the engine's buffer, where no select reports them.
        mayHoldInput = true;
      }
    }
    return src.position() - start;
  }

  private void checkPeerStayed() throws IOException {
    if (peerLeft) {
      throw new IOException("the client hung up before its handshake was answered");
    }
  }

  @Override
  public boolean flushHeld() throws IOException {
    if (holdsOutput) {
      write(NOTHING.duplicate());
    }
    return !holdsOutput;
  }

  /**
   * Nothing while a delegated task runs (its end wakes the connection); a read that waits for a
   * write asks for {@code OP_WRITE} instead of {@code OP_READ} (the connection reads when it comes:
   * asking for {@code OP_READ} then would wake the selector for bytes nobody takes); bytes held
   * here are written when the socket takes them, unless the handshake waits for the peer first.
   */
  @Override
  public int interestOps(boolean wantRead, boolean wantWrite) {
    if (busy) {
      return 0;
    }
    boolean read = wantRead && !readWaitsForWrite;
    boolean write = (wantWrite || holdsOutput) && !writeWaitsForRead || readWaitsForWrite;
    return (read ? SelectionKey.OP_READ : 0) | (write ? SelectionKey.OP_WRITE : 0);
  }

  /** The last read filled its buffer, or a write drove the handshake and read past its end. */
  @Override
  public boolean readsWithoutSelect() {
    return mayHoldInput;
  }

  private void runOffLoop(Runnable task) {
    busy = true;
    handshakes.run(this, task);
  }

  /**
   * Whether this handshake's next delegated task is still worth running, asked just before it goes
   * to a crypto thread: the connection is open and its peer has not gone ({@link
   * ProbedSocket#peerGone}).
   */
  boolean stillWanted() {
    return !peerLeft && tls.isOpen() && !socket.peerGone();
  }

  /**
   * Whether the peer has gone, asked of a handshake under way when the bounds are reached; never
   * while its task runs (the engine is the crypto thread's then, and its answer is due anyway).
   */
  boolean goneWhileIdle() {
    if (taskRunning || peerLeft || !tls.isOpen()) {
      return false;
    }
    if (socket.peerGone()) {
      return true;
    }
    if (socket.holdsUnread()) {
      progressed.run(); // bytes taken from the socket, where no select reports them any more
    }
    return false;
  }

  /** A crypto thread took the delegated task. */
  void taskStarted() {
    taskRunning = true;
  }

  /** The delegated task ran: try reading and writing again. */
  void taskDone() {
    taskRunning = false;
    busy = false;
    progressed.run();
  }

  /**
   * The peer has gone before crypto was spent on it: the handshake ends here, and the next read
   * fails, so that the connection closes.
   */
  void peerLeft() {
    busy = false;
    peerLeft = true;
    endHandshake();
    progressed.run();
  }

  /**
   * After the engine refused the handshake (an old protocol, no shared cipher suite): the alert it
   * holds for the client (protocol_version, handshake_failure) goes out before the close, best
   * effort, so that the client is told why rather than seeing the connection just end. tls-channel
   * marks itself broken at the failure and would send nothing more, hence the socket directly.
   */
  private void sendAlert() {
    SSLEngine engine = tls.getSslEngine();
    if (engine == null) {
      return; // not even a hello that parsed: no engine, nothing to say
    }
    try {
      ByteBuffer alert = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
      engine.wrap(NOTHING.duplicate(), alert);
      alert.flip();
      if (alert.hasRemaining()) {
        socket.write(alert);
      }
    } catch (IOException e) {
      // The client is gone or its socket full: the close says the rest.
    }
  }

  @Override
  public boolean isEstablished() {
    return established;
  }

  @Override
  public boolean seatsWhenEstablished() {
    return true;
  }

  @Override
  public String establishingStep() {
    return "TLS handshake";
  }

  @Override
  public boolean isOpen() {
    return tls.isOpen();
  }

  /** Sends {@code close_notify} if the socket takes it now (never waits for the peer's), closes. */
  @Override
  public void close() throws IOException {
    endHandshake();
    tls.close();
  }

  /**
   * The socket as tls-channel sees it, with one addition: before a delegated task runs, {@link
   * #peerGone} reads ahead to learn whether the peer has gone, keeping what it read for
   * tls-channel's next read.
   */
  private static final class ProbedSocket implements ByteChannel {
    /** A probe reads this much at a time; a client sends little while it waits for our answer. */
    private static final int PROBE_BYTES = 2048;

    /** A probe keeps at most this much (a record and its header), then stops reading ahead. */
    private static final int MAX_HELD = 16384 + 5;

    private final SocketChannel channel;
    private ByteBuffer held; // bytes a probe read, not yet given to tls-channel; or null
    private boolean ended; // a probe read the end of the stream
    private boolean spoke; // the server has written to the peer

    ProbedSocket(SocketChannel channel) {
      this.channel = channel;
    }

    /**
     * True when the peer reset the connection, or ended its stream before the server said anything:
     * no handshake can finish without the peer reading the server's first flight, so a peer that
     * closed after its hello (a replay, a scanner) will never read the answer. An end of stream
     * after the server spoke is not proof (a client may send its last handshake bytes, its lines
     * and its end of stream in one go); it is left to tls-channel's reads, as before. What the
     * probe reads on the way is kept for tls-channel, in order.
     */
    boolean peerGone() {
      ByteBuffer room = null;
      try {
        while (!ended && (held == null || held.remaining() < MAX_HELD)) {
          room = room == null ? ByteBuffer.allocate(PROBE_BYTES) : room.clear();
          int n = channel.read(room);
          if (n < 0) {
            ended = true;
          } else if (n == 0) {
            break;
          } else {
            keep(room.flip());
          }
        }
      } catch (IOException e) {
        return true; // reset
      }
      return ended && !spoke;
    }

    /** Whether a probe took bytes or the end of the stream that tls-channel has not read. */
    boolean holdsUnread() {
      return held != null || ended;
    }

    private void keep(ByteBuffer bytes) {
      if (held == null) {
        held = ByteBuffer.allocate(bytes.remaining()).put(bytes).flip();
      } else {
        held =
            ByteBuffer.allocate(held.remaining() + bytes.remaining()).put(held).put(bytes).flip();
      }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      if (held != null) {
        int n = Math.min(dst.remaining(), held.remaining());
        dst.put(held.slice(held.position(), n));
        held.position(held.position() + n);
        if (!held.hasRemaining()) {
          held = null;
        }
        return n;
      }
      return ended ? -1 : channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      int n = channel.write(src);
      spoke |= n > 0;
      return n;
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
