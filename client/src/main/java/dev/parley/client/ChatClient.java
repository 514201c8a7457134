package dev.parley.client;

import dev.parley.net.EventLoop;
import dev.parley.net.Selectable;
import dev.parley.protocol.ClientLine;
import dev.parley.protocol.Frame;
import dev.parley.protocol.LineDecoder;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerLine;
import dev.parley.protocol.Wire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tlschannel.NeedsReadException;
import tlschannel.NeedsWriteException;
import tlschannel.TlsChannel;
import tlschannel.WouldBlockException;

/**
 * The client's connection: one non-blocking {@link SocketChannel} at a time, served by the same
 * {@link EventLoop} as the server's connections (its timers, its tasks, its injectable clock). It
 * reads bytes, cuts them into lines with the protocol's {@link LineDecoder}, parses them with
 * {@link ServerLine#parse} and hands them to a {@link Listener}; it writes lines through a small
 * outbound queue, with OP_WRITE on only while something is left to write. When the connection is
 * lost the loop goes on, so the listener can {@link #reconnect} to the same server.
 *
 * <p>Threads: {@link #execute} may be called from any thread and is the only way in from outside;
 * every other method, and every {@link Listener} callback, runs on the loop thread. The keyboard
 * thread never touches the channel.
 */
public final class ChatClient {
  private static final Logger LOG = LoggerFactory.getLogger(ChatClient.class);

  /**
   * Lines the server sends have no length limit in the protocol; a client takes at least 1 MiB. The
   * classroom client takes the same.
   */
  public static final int MAX_LINE_BYTES = 1 << 20;

  /**
   * The longest wait for a connection, in chat and in classroom mode, and for each reconnection.
   */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private static final int READ_BUFFER_BYTES = 64 * 1024;
  private static final int MAX_READ_BYTES_PER_EVENT = 256 * 1024;
  private static final int MAX_BUFFERS_PER_WRITE = 64;

  /** What the loop reports. Every method runs on the loop thread and must not block. */
  public interface Listener {
    /** A line from the server; one that does not parse arrives as {@link ServerLine.Unknown}. */
    void onLine(ServerLine line);

    /**
     * A line from the server that could not be decoded (too long, or not UTF-8); it was skipped.
     */
    void onFault(Frame.Fault fault);

    /**
     * The connection is gone without {@link #close()} having been called, or a {@link #reconnect}
     * failed. The loop goes on.
     *
     * @param cause null when the server closed it in order; otherwise what went wrong, one line
     */
    void onClosed(String cause);

    /** A {@link #reconnect} succeeded: the new connection is open. */
    void onConnected();
  }

  private record Outbound(ByteBuffer bytes, Runnable onWritten) {}

  private final InetSocketAddress server;
  private final ClientTls tls; // null for plain TCP
  private ByteChannel io; // what lines are read from and written to: channel, or TLS over it
  private boolean tlsHoldsOutput; // TLS took bytes the socket has not taken yet
  private boolean writeWaitsForRead; // TLS: the handshake needs the server's bytes first
  private final EventLoop loop;
  private final Selectable events = new ChannelEvents();
  private SocketChannel channel; // null between connections
  private SelectionKey key;
  private EventLoop.Timer connectTimer; // while a reconnect is under way
  private LineDecoder decoder = new LineDecoder(MAX_LINE_BYTES);
  private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
  private final ArrayDeque<Outbound> outbound = new ArrayDeque<>();
  private final ByteBuffer[] writeBatch = new ByteBuffer[MAX_BUFFERS_PER_WRITE];

  private Listener listener;
  private boolean closed; // loop thread only: no more reading, writing or callbacks
  private volatile boolean started; // the loop runs: from then on only it closes the channel

  private ChatClient(
      InetSocketAddress server,
      SocketChannel channel,
      ByteChannel io,
      ClientTls tls,
      EventLoop loop)
      throws IOException {
    this.server = server;
    this.channel = channel;
    this.io = io;
    this.tls = tls;
    this.loop = loop;
    this.key = loop.register(channel, SelectionKey.OP_READ, events);
    // Everything queued in one iteration goes out together at its end, after its timers (a line a
    // timer sends, the C EX after a quiet period, leaves in the same iteration).
    loop.addIterationEndHook(this::flushAtIterationEnd);
  }

  /**
   * Connects to {@code host:port}, blocking the calling thread for at most {@code timeout}. The
   * loop does not run until {@link #start}.
   *
   * @throws IOException when the connection cannot be made; its message is fit to show as is
   */
  public static ChatClient connect(String host, int port, Duration timeout) throws IOException {
    return connect(host, port, timeout, null);
  }

  /**
   * As above, over TLS when {@code tls} is not null: the handshake, and the check of the server's
   * certificate and name, happen here, within the same {@code timeout}. A reconnect does them again
   * on the loop.
   */
  static ChatClient connect(String host, int port, Duration timeout, ClientTls tls)
      throws IOException {
    return connect(host, port, timeout, tls, System::nanoTime);
  }

  /** As above, the loop's timers on {@code clock} ({@link System#nanoTime} scale; tests). */
  static ChatClient connect(
      String host, int port, Duration timeout, ClientTls tls, LongSupplier clock)
      throws IOException {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new UnknownHostException("unknown host");
    }
    SocketChannel channel = SocketChannel.open();
    try {
      channel.socket().connect(address, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ByteChannel io = tls == null ? channel : tls.handshake(channel, host, port, timeout);
      return new ChatClient(address, channel, io, tls, new EventLoop("parley-client-loop", clock));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Whether the connection is TLS ({@code --tls}). Any thread. */
  boolean secure() {
    return tls != null;
  }

  /** Starts the loop thread. Call once. */
  public void start(Listener listener) {
    this.listener = listener;
    started = true;
    loop.start();
  }

  /** The loop's clock now ({@link System#nanoTime} scale unless a test gave another). Loop only. */
  public long now() {
    return loop.now();
  }

  /**
   * Runs {@code task} on the loop thread, after what was handed over before it. Any thread. A task
   * given after the client closed does not run.
   */
  public void execute(Runnable task) {
    loop.execute(
        () -> {
          if (!closed) {
            task.run();
          }
        });
  }

  /** Queues a line; it is written at the end of this loop iteration. Loop thread only. */
  public void send(ClientLine line) {
    send(line, null);
  }

  /**
   * Queues a line and runs {@code onWritten} on the loop thread once all its bytes are handed to
   * the socket, or once the line is dropped because there is no connection or it was lost first.
   * Loop thread only.
   */
  public void send(ClientLine line, Runnable onWritten) {
    if (closed || channel == null || !channel.isConnected()) {
      if (onWritten != null) {
        onWritten.run();
      }
      return;
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("-> {}", line);
    }
    // Not written here: everything queued in one iteration goes out together at its end.
    outbound.add(new Outbound(Wire.encode(line), onWritten));
  }

  /**
   * Opens a new connection to the same server in the background; {@link Listener#onConnected} or
   * {@link Listener#onClosed} follows. Any current connection is dropped first, without a callback.
   * Loop thread only.
   */
  public void reconnect(Duration timeout) {
    if (closed) {
      return;
    }
    dropConnection();
    decoder = new LineDecoder(MAX_LINE_BYTES);
    try {
      InetSocketAddress address = new InetSocketAddress(server.getHostString(), server.getPort());
      if (address.isUnresolved()) {
        throw new UnknownHostException("unknown host");
      }
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      key = loop.register(channel, SelectionKey.OP_CONNECT, events);
      if (channel.connect(address)) {
        connected();
        return;
      }
    } catch (IOException e) {
      lose(describe(e));
      return;
    }
    connectTimer = schedule(timeout, () -> lose("connect timed out"));
  }

  /**
   * Gives up the current connection as lost (the server went silent): the channel is closed and
   * {@link Listener#onClosed} follows with {@code cause}. Loop thread only.
   */
  public void drop(String cause) {
    if (channel != null) {
      lose(cause);
    }
  }

  /** Runs {@code action} on the loop thread after {@code delay}. Loop thread only. */
  public EventLoop.Timer schedule(Duration delay, Runnable action) {
    return loop.schedule(
        delay.toNanos(),
        () -> {
          if (!closed) {
            action.run();
          }
        });
  }

  /**
   * Closes the connection without a callback to the listener; bytes not yet written are dropped.
   * Any thread.
   */
  public void close() {
    if (loop.inLoop() || !started) {
      closeChannel();
    } else {
      loop.execute(this::closeChannel);
    }
  }

  /** Waits until the loop thread has ended and the channel is closed. Not the loop thread. */
  void awaitClosed() throws InterruptedException {
    loop.awaitTermination();
  }

  /** The connection's selector events, as the loop dispatches them. */
  private final class ChannelEvents implements Selectable {
    @Override
    public void onSelected(int readyOps) throws IOException {
      if (closed) {
        return;
      }
      if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
        finishConnect();
        return;
      }
      // Writable first: writing frees queued buffers before reading makes more work.
      if ((readyOps & SelectionKey.OP_WRITE) != 0) {
        flush();
      }
      if (!closed && key != null && key.isValid() && (readyOps & SelectionKey.OP_READ) != 0) {
        read();
      }
    }

    @Override
    public void onFailure(Throwable cause) {
      // A bug, not a network event: say so in one line and end the session rather than hang.
      LOG.warn("client loop stopped: {}", cause.toString());
      closeAfterFailure("internal error: " + cause);
    }
  }

  private void flushAtIterationEnd() {
    if (closed) {
      return;
    }
    try {
      flush();
    } catch (IOException | RuntimeException e) {
      events.onFailure(e);
    }
  }

  private void finishConnect() {
    try {
      if (channel.finishConnect()) {
        connected();
      }
    } catch (IOException e) {
      lose(describe(e));
    }
  }

  private void connected() {
    if (connectTimer != null) {
      connectTimer.cancel();
      connectTimer = null;
    }
    // Over TLS the handshake (and the check of the certificate) goes on in the first reads and
    // writes; a failure ends this connection with its one-line reason.
    io = tls == null ? channel : tls.over(channel, server.getHostString(), server.getPort());
    tlsHoldsOutput = false;
    writeWaitsForRead = false;
    key.interestOps(SelectionKey.OP_READ);
    listener.onConnected();
  }

  private void read() throws IOException {
    writeWaitsForRead = false; // a write that waited for the server tries again in this iteration
    int budget = MAX_READ_BYTES_PER_EVENT;
    SocketChannel reading = channel;
    while (budget > 0 && !closed && channel == reading) {
      readBuffer.clear();
      int n;
      try {
        n = io.read(readBuffer);
      } catch (WouldBlockException e) {
        n = 0; // TLS: no whole record yet
      } catch (SSLException e) {
        lose(ClientTls.reason(e, server.getHostString()));
        return;
      } catch (IOException e) {
        lose(describe(e));
        return;
      }
      if (n < 0) {
        lose(null);
        return;
      }
      if (n == 0) {
        return;
      }
      budget -= n;
      readBuffer.flip();
      Frame frame;
      // The decoder keeps the start of an unfinished line itself, so the buffer can be reused.
      while (!closed && channel == reading && (frame = decoder.next(readBuffer)) != null) {
        decode(frame);
      }
    }
    // Out of budget: over TLS the rest may already be decrypted, where no select sees it.
    if (budget <= 0 && tls != null && !closed && channel == reading) {
      execute(
          () -> {
            try {
              read();
            } catch (IOException e) {
              lose(describe(e));
            }
          });
    }
  }

  private void decode(Frame frame) {
    if (frame instanceof Frame.Text text) {
      ServerLine line;
      try {
        line = ServerLine.parse(text.text());
      } catch (ProtocolException e) {
        line = new ServerLine.Unknown(text.text());
      }
      if (LOG.isDebugEnabled()) {
        LOG.debug("<- {}", line);
      }
      listener.onLine(line);
    } else {
      listener.onFault((Frame.Fault) frame);
    }
  }

  /** Writes what the queue holds until it is empty or the socket is full. */
  private void flush() throws IOException {
    if (channel == null || !channel.isConnected()) {
      return;
    }
    SocketChannel writing = channel;
    while (!closed && channel == writing && !outbound.isEmpty()) {
      int count = 0;
      for (Outbound o : outbound) {
        writeBatch[count++] = o.bytes();
        if (count == writeBatch.length) {
          break;
        }
      }
      long written;
      try {
        written = write(count);
      } catch (SSLException e) {
        lose(ClientTls.reason(e, server.getHostString()));
        return;
      } catch (IOException e) {
        lose(describe(e));
        return;
      } finally {
        Arrays.fill(writeBatch, 0, count, null);
      }
      while (!outbound.isEmpty() && !outbound.peek().bytes().hasRemaining()) {
        Runnable onWritten = outbound.poll().onWritten();
        if (onWritten != null) {
          onWritten.run();
        }
      }
      if (written == 0) {
        break;
      }
    }
    if (tlsHoldsOutput && !closed && channel == writing && outbound.isEmpty()) {
      try {
        write(0);
      } catch (IOException e) {
        lose(describe(e));
        return;
      }
    }
    if (!closed && channel == writing) {
      // OP_WRITE stays on only while bytes wait; a writable socket with nothing to send spins.
      boolean waiting = (!outbound.isEmpty() || tlsHoldsOutput) && !writeWaitsForRead;
      int ops = waiting ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
      if (key.interestOps() != ops) {
        key.interestOps(ops);
      }
    }
  }

  /** Writes the first {@code count} of {@code writeBatch}; returns the bytes taken. */
  private long write(int count) throws IOException {
    if (io == channel) {
      return channel.write(writeBatch, 0, count);
    }
    TlsChannel secure = (TlsChannel) io;
    long before = remaining(count);
    try {
      secure.write(writeBatch, 0, count);
      tlsHoldsOutput = false;
    } catch (NeedsWriteException e) {
      tlsHoldsOutput = true; // what was encrypted waits in the TLS buffer: the buffers moved on
    } catch (NeedsReadException e) {
      writeWaitsForRead = true; // the handshake needs the server's next bytes; read() goes on
    } catch (WouldBlockException e) {
      // nothing to do now: the next iteration tries again
    }
    return before - remaining(count);
  }

  private long remaining(int count) {
    long n = 0;
    for (int i = 0; i < count; i++) {
      n += writeBatch[i].remaining();
    }
    return n;
  }

  /** The loop itself failed: nothing more can be done, the session is told once. */
  private void closeAfterFailure(String cause) {
    if (closed) {
      return;
    }
    closed = true;
    closeChannel();
    listener.onClosed(cause);
  }

  /** The connection is gone; the loop goes on so that the listener may reconnect. */
  private void lose(String cause) {
    if (closed) {
      return;
    }
    dropConnection();
    listener.onClosed(cause);
  }

  /**
   * Closes the current channel, if any; what was queued for it is dropped, and the callbacks
   * waiting for it run so that nobody waits for a write that will never happen.
   */
  private void dropConnection() {
    if (connectTimer != null) {
      connectTimer.cancel();
      connectTimer = null;
    }
    if (channel != null) {
      try {
        closeTls();
        channel.close();
      } catch (IOException e) {
        LOG.warn("closing the connection: {}", e.getMessage());
      }
      channel = null;
      key = null;
    }
    Outbound dropped;
    while ((dropped = outbound.poll()) != null) {
      if (dropped.onWritten() != null) {
        dropped.onWritten().run();
      }
    }
  }

  private void closeChannel() {
    closed = true;
    try {
      if (channel != null) {
        closeTls();
        channel.close();
      }
    } catch (IOException e) {
      LOG.warn("closing the connection: {}", e.getMessage());
    }
    channel = null;
    loop.close(); // on the loop: it ends after this iteration; elsewhere: waits for that
  }

  /** Over TLS, a close_notify if the socket takes it now; the socket itself is closed after. */
  private void closeTls() {
    if (io != null && io != channel) {
      try {
        io.close();
      } catch (IOException e) {
        LOG.debug("closing TLS: {}", e.getMessage());
      }
    }
    io = null;
  }

  static String describe(IOException e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
