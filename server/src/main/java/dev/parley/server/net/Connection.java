package dev.parley.server.net;

import dev.parley.protocol.Frame;
import dev.parley.protocol.LineDecoder;
import dev.parley.protocol.ServerLine;
import dev.parley.protocol.Wire;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport of one client: its channel and key, the line decoder, the outbound queue and the
 * interest ops. Knows nothing of the chat protocol beyond lines; the {@link ConnectionHandler}
 * does. A {@link ByteHandler} gets the bytes as read instead of lines. Loop thread only.
 *
 * <p>Writes are never made where a reply is produced: {@link #enqueue} only queues and marks the
 * connection dirty, and the loop flushes every dirty connection once at the end of the iteration,
 * so many lines for one client leave in one write.
 *
 * <p>Reading stops (OP_READ off) while any of these holds, and resumes when none does:
 *
 * <ul>
 *   <li>the handler does not accept input; unread bytes wait in {@code stash};
 *   <li>the outbound queue went above the high-water mark and has not yet drained to the low one,
 *       so a client that floods without reading its replies cannot grow the server's memory (lines
 *       already read are not decoded either meanwhile: they wait in {@code stash});
 *   <li>the peer sent end of stream;
 *   <li>the connection is closing.
 * </ul>
 */
public final class Connection implements Selectable {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  private static final byte[] TOO_SLOW = Wire.bytes(new ServerLine.Bye("too slow").format());

  /** How long a closing connection may take to receive what was queued for it. */
  public static final long CLOSE_GRACE_NANOS = 5_000_000_000L;

  private final EventLoop loop;
  private final SocketChannel channel;
  private final SelectionKey key;
  private final LineDecoder decoder;
  private final OutboundQueue outbound;
  private final Limits limits;
  private final SocketAddress remote;
  private final Consumer<Connection> closeListener;
  private ConnectionHandler handler;

  private ByteBuffer stash; // bytes read but not yet decoded while the handler paused; else null
  private boolean dirty; // on the loop's list of connections to flush
  private boolean closeAfterFlush; // no more input; close once the queue is written
  private boolean closed; // on the loop's close list or already closed
  private boolean inputEnded; // the peer sent end of stream: nothing more to read
  private boolean endUnreported; // end of stream seen by peerGone, not yet told to the handler
  private String closeReason;
  private EventLoop.Timer closeTimer; // forces a close that waits too long for its flush
  private boolean queueBlocksReading; // went above high water and has not yet drained to low water
  private boolean writableAgain; // drained to low water; the handler hears of it on resume
  private long peakPendingBytes; // the most this connection ever had queued, for tests and stats
  private int interestOps = SelectionKey.OP_READ; // what the key was last given

  /** Per-connection bounds, in bytes. */
  public record Limits(
      int maxLineBytes, long lowWaterBytes, long highWaterBytes, long maxQueueBytes) {
    public Limits {
      if (!(0 <= lowWaterBytes
          && lowWaterBytes <= highWaterBytes
          && highWaterBytes <= maxQueueBytes)) {
        throw new IllegalArgumentException("need 0 <= low <= high <= max queue bytes");
      }
    }

    /** High water at half the maximum queue and low water at a quarter, as Netty's 2:1 marks. */
    public static Limits of(int maxLineBytes, long maxQueueBytes) {
      return new Limits(maxLineBytes, maxQueueBytes / 4, maxQueueBytes / 2, maxQueueBytes);
    }
  }

  Connection(
      EventLoop loop,
      SocketChannel channel,
      SelectionKey key,
      Limits limits,
      Consumer<Connection> closeListener)
      throws IOException {
    this.loop = loop;
    this.closeListener = closeListener;
    this.channel = channel;
    this.key = key;
    this.limits = limits;
    this.decoder = new LineDecoder(limits.maxLineBytes());
    this.outbound = new OutboundQueue(loop.entryChunks());
    this.remote = channel.getRemoteAddress();
  }

  void bind(ConnectionHandler handler) {
    this.handler = handler;
    // The key was registered for reading; a handler that takes no input yet must not even be read
    // from (classroom mode reads nothing until both clients are in), so ask it at once.
    updateInterest();
  }

  public SocketAddress remoteAddress() {
    return remote;
  }

  public EventLoop loop() {
    return loop;
  }

  /** Neither closed nor closing once its queue is written: input and new lines still count. */
  private boolean isOpen() {
    return !closed && !closeAfterFlush;
  }

  /**
   * False from when the queue passes the high-water mark until it has drained to the low one.
   * Output that a handler makes on its own initiative and that can be large (a history answer)
   * waits while it is false, for {@link ConnectionHandler#onWritable}, so that it counts toward the
   * same bound as everything else queued: a client that asks without reading is paused, not fed.
   */
  public boolean isWritable() {
    return !queueBlocksReading && outbound.pendingBytes() <= limits.highWaterBytes();
  }

  /** The most bytes ever queued for this client at once. */
  public long peakPendingBytes() {
    return peakPendingBytes;
  }

  /** Bytes queued for this client and not yet written. */
  public long pendingBytes() {
    return outbound.pendingBytes();
  }

  /**
   * Queues a line this client did not ask for (a delivered message, a notice). Contract:
   *
   * <ol>
   *   <li>MUST be called on the loop thread.
   *   <li>Does not write the line: the loop flushes each dirty connection once per iteration. The
   *       one write made here is the best-effort {@code C BYE too slow} of rule 4.
   *   <li>The buffer is referenced, not copied, and its position is never moved, so one encoded
   *       buffer may be queued to any number of connections; nobody may change it afterwards.
   *   <li>Over the queue limit the client is too slow: its queue is dropped and it is closed. Only
   *       such lines count against the limit, not replies queued before them: a client reading a
   *       long {@code C CH} answer is not too slow because a message arrives meanwhile.
   * </ol>
   *
   * @return true if the line was queued; false if the connection is closing or was just dropped as
   *     too slow, so that the line will never reach the client
   */
  public boolean enqueue(ByteBuffer line) {
    if (!isOpen()) {
      return false;
    }
    if (outbound.deliveryBytes() + line.remaining() > limits.maxQueueBytes()) {
      dropTooSlow();
      return false;
    }
    add(line, false);
    return true;
  }

  /**
   * Queues an answer to one of this client's own lines: as {@link #enqueue}, but never a reason to
   * drop the client. Answers cannot pile up: reading stops above the high-water mark, so the queue
   * passes the limit by one answer at most (a long {@code C CH}; without accounts its lines are
   * buffers shared with the server's recent-history ring).
   */
  public void enqueueReply(ByteBuffer line) {
    if (!isOpen()) {
      return;
    }
    add(line, true);
  }

  private void add(ByteBuffer line, boolean reply) {
    outbound.add(line, reply);
    peakPendingBytes = Math.max(peakPendingBytes, outbound.pendingBytes());
    markDirty();
    if (outbound.pendingBytes() > limits.highWaterBytes()) {
      updateInterest();
    }
  }

  /**
   * Writes what is queued, then closes; reads nothing more. A client that does not take the bytes
   * within {@link #CLOSE_GRACE_NANOS} is closed anyway, so a dead peer cannot hold the connection.
   */
  public void closeAfterFlush(String reason) {
    if (!isOpen()) {
      return;
    }
    closeAfterFlush = true;
    closeReason = reason;
    closeTimer = loop.schedule(CLOSE_GRACE_NANOS, () -> closeLater(closeReason));
    markDirty();
    updateInterest();
  }

  /** Closes at the end of this loop iteration without writing what is queued. */
  public void closeLater(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    if (closeReason == null) {
      closeReason = reason;
    }
    outbound.clear();
    loop.closeLater(this);
  }

  /**
   * Whether the peer has gone, asked before work is spent on its behalf while its input is paused
   * (a password check): with reading off, a reset would go unnoticed. Reads what the kernel holds,
   * keeping the bytes behind those already stashed, so nothing is lost or reordered. An end of
   * stream is not "gone", since a half-closed peer still reads what it is owed; it is told to the
   * handler once the lines before it are handled. Costs one read of at most the read buffer per
   * call. MUST be called on the loop thread and never while this connection's input is being
   * decoded (it uses the loop's read buffer).
   */
  public boolean peerGone() {
    if (!isOpen()) {
      return true;
    }
    if (inputEnded) {
      return false; // TCP cannot say more once the peer's end of stream has been read
    }
    ByteBuffer buffer = loop.readBuffer();
    int n = readOnce(buffer);
    if (n == LOST) {
      return true;
    }
    if (n < 0) {
      inputEnded = true;
      endUnreported = true;
    } else if (n > 0) {
      buffer.flip();
      ByteBuffer joined = ByteBuffer.allocate((stash == null ? 0 : stash.remaining()) + n);
      if (stash != null) {
        joined.put(stash);
      }
      stash = joined.put(buffer).flip();
    }
    updateInterest();
    return false;
  }

  /**
   * The handler accepts input again: decode what was stashed (in the next iteration, so that a
   * completion never re-enters the handler) and read from the socket once the stash is empty.
   */
  public void resumeInput() {
    if (stash != null || endUnreported) {
      loop.resumeLater(this);
    } else {
      updateInterest();
    }
  }

  /**
   * Reads what the kernel already holds for this connection now, rather than when a later select
   * reports it. For a handler that has just begun to accept input and must see the bytes that
   * waited before any that arrive meanwhile on other connections (classroom mode reads X's early
   * message before Y has even been told it is connected). Bytes already stashed are those that
   * waited longest: they are decoded now instead, and the socket is left for the next select. Does
   * nothing while input is not wanted. Loop thread only.
   */
  public void readNow() {
    if (!isOpen() || !handler.acceptsInput()) {
      return;
    }
    if (stash != null) {
      decodeStash();
      return;
    }
    if (inputEnded) {
      return;
    }
    try {
      read();
    } catch (IOException | RuntimeException | Error e) {
      EventLoop.rethrowIfFatal(e);
      onFailure(e);
    }
  }

  @Override
  public void onSelected(int readyOps) throws IOException {
    // Writable first: it frees memory before reading makes more work.
    if ((readyOps & SelectionKey.OP_WRITE) != 0 && !closed) {
      flush();
    }
    if ((readyOps & SelectionKey.OP_READ) != 0 && isOpen()) {
      read();
    }
  }

  @Override
  public void onFailure(Throwable cause) {
    LOG.warn("closing connection from {} after an error", remote, cause);
    closeLater("internal error");
  }

  /** What {@link #readOnce} answers when the peer reset the connection, which then closes. */
  private static final int LOST = -2;

  /** One read into {@code buffer}: the bytes read, -1 at end of stream, or {@link #LOST}. */
  private int readOnce(ByteBuffer buffer) {
    buffer.clear();
    try {
      return channel.read(buffer);
    } catch (IOException e) {
      lost(e);
      return LOST;
    }
  }

  private void read() throws IOException {
    ByteBuffer buffer = loop.readBuffer();
    int n = readOnce(buffer);
    if (n == LOST) {
      return;
    }
    if (n < 0) {
      // A half-close is not a disconnect: the replies the peer is owed (some may wait for the
      // store) still go out, and the handler closes after them.
      inputEnded = true;
      updateInterest();
      handler.onEndOfInput();
      return;
    }
    buffer.flip();
    decode(buffer);
    if (buffer.hasRemaining() && isOpen()) {
      // The shared read buffer is reused by the next connection: keep our leftover privately.
      stash = ByteBuffer.allocate(buffer.remaining());
      stash.put(buffer).flip();
      updateInterest();
    }
  }

  /**
   * Called by the loop for a connection passed to {@link EventLoop#resumeLater}: tells the handler
   * that the queue drained, if it did, then decodes what was stashed.
   */
  void decodeStash() {
    if (!isOpen()) {
      return;
    }
    if (writableAgain) {
      writableAgain = false;
      handler.onWritable();
    }
    if (!isOpen()) {
      return;
    }
    if (stash != null) {
      decode(stash);
      if (!stash.hasRemaining()) {
        stash = null;
      }
    }
    if (stash == null && endUnreported && handler.acceptsInput()) {
      endUnreported = false;
      handler.onEndOfInput();
    }
    updateInterest();
  }

  private void decode(ByteBuffer buffer) {
    if (handler instanceof ByteHandler) {
      // No line decoding: the handler frames the bytes itself and leaves what it does not take.
      if (isOpen() && handler.acceptsInput()) {
        ((ByteHandler) handler).onBytes(buffer);
      }
      return;
    }
    // Stop between lines once the replies pile up above high water, not only between reads: one
    // read of pipelined lines can hold thousands, and their replies would pass the queue limit
    // and drop a client that reads them. The rest waits in the stash until the queue drains.
    while (!closed
        && !closeAfterFlush
        && handler.acceptsInput()
        && outbound.pendingBytes() <= limits.highWaterBytes()) {
      Frame frame = decoder.next(buffer);
      if (frame == null) {
        return;
      }
      handler.onFrame(frame);
    }
  }

  /** Called by the loop for a dirty connection at the end of an iteration. */
  void flush() throws IOException {
    dirty = false;
    if (closed) {
      return;
    }
    if (!outbound.isEmpty()) {
      try {
        outbound.writeTo(channel, loop.writeBuffer(), EventLoop.MAX_WRITE_BYTES_PER_FLUSH);
      } catch (IOException e) {
        lost(e);
        return;
      }
    }
    if (outbound.isEmpty() && closeAfterFlush) {
      closeLater(closeReason);
      return;
    }
    boolean wasBlocked = queueBlocksReading;
    updateInterest();
    if (wasBlocked && !queueBlocksReading) {
      writableAgain = true; // the handler hears of it in the next iteration, never mid-flush
    }
    boolean inputWaits =
        (stash != null || endUnreported)
            && !queueBlocksReading
            && !closeAfterFlush
            && handler.acceptsInput();
    if (writableAgain || inputWaits) {
      // Decoding stopped because the queue was full and it has drained to low water.
      loop.resumeLater(this);
    }
  }

  /** Called by the loop when this connection's turn to close has come. */
  void closeNow() {
    if (closeTimer != null) {
      closeTimer.cancel();
    }
    key.cancel();
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("error closing connection from {}", remote, e);
    }
    stash = null;
    closeListener.accept(this);
    if (handler != null) {
      handler.onClose(closeReason);
    }
  }

  /**
   * The peer reset the connection or it broke: routine for a server on a network, so neither an
   * "internal error" for others to see nor a stack trace in the log.
   */
  private void lost(IOException cause) {
    LOG.debug("connection from {} lost: {}", remote, cause.toString());
    closeLater("connection lost");
  }

  private void dropTooSlow() {
    LOG.info("dropping {}: more than {} bytes queued", remote, limits.maxQueueBytes());
    boolean midLine = outbound.midLine();
    // Best effort: the socket buffer is probably full, in which case the client never sees it.
    // Never after half a line, though: the goodbye would be glued to it as one garbled line.
    if (!midLine) {
      try {
        channel.write(ByteBuffer.wrap(TOO_SLOW));
      } catch (IOException e) {
        LOG.debug("could not tell {} it was too slow", remote, e);
      }
    }
    closeLater("too slow");
  }

  private void markDirty() {
    if (!dirty) {
      dirty = true;
      loop.flushLater(this);
    }
  }

  private void updateInterest() {
    if (closed || !key.isValid()) {
      return;
    }
    long pending = outbound.pendingBytes();
    if (pending > limits.highWaterBytes()) {
      queueBlocksReading = true;
    } else if (pending <= limits.lowWaterBytes()) {
      queueBlocksReading = false;
    }
    boolean wantRead =
        !inputEnded
            && !closeAfterFlush
            && stash == null
            && !queueBlocksReading
            && handler.acceptsInput();
    // OP_WRITE only while bytes are left over after a flush: a writable socket with nothing to
    // write would wake the selector on every iteration. Dirty connections are flushed anyway.
    boolean wantWrite = !outbound.isEmpty() && !dirty;
    int ops = (wantRead ? SelectionKey.OP_READ : 0) | (wantWrite ? SelectionKey.OP_WRITE : 0);
    if (ops != interestOps) {
      interestOps = ops;
      key.interestOps(ops);
    }
  }
}
