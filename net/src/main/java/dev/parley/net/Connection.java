package dev.parley.net;

import dev.parley.protocol.Frame;
import dev.parley.protocol.LineDecoder;
import dev.parley.protocol.ServerLine;
import dev.parley.protocol.Wire;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's connection: its channel and key, the transport layer over the channel (plain TCP or
 * TLS), the line decoder, the outbound queue and the interest ops. Knows nothing of the chat
 * protocol beyond lines; the {@link ConnectionHandler} does. A {@link ByteHandler} gets the bytes
 * as read instead of lines. Loop thread only.
 *
 * <p>Writes are never made where a reply is produced: {@link #enqueue} only queues and marks the
 * connection dirty, and the loop flushes every dirty connection once at the end of the iteration,
 * so many lines for one client leave in one write.
 *
 * <p>The connection wants to read ({@link #wantsRead}) while no {@link Pause} holds and no input
 * read earlier waits to be decoded. Each reason is set where it begins and cleared where it ends,
 * by whoever owns it: the handler (replies held, rate, password check, not its turn), the queue
 * crossing its water marks (high: pause; low: resume and {@link ConnectionHandler#onWritable}), the
 * peer's end of stream, a close. Bytes read but not decoded when a pause begins wait in {@code
 * stash}, an end of stream learnt early waits in {@code endUnreported}; the rest wait in the kernel
 * (or in the transport layer). Whether wanting to read means selecting for {@code OP_READ} now is
 * the transport layer's answer ({@link TransportLayer#interestOps}): a TLS handshake step may need
 * a write first, or work off the loop.
 */
public final class Connection implements Selectable, ProbingPeer, PromptPeer {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  private static final byte[] TOO_SLOW = Wire.bytes(new ServerLine.Bye("too slow").format());

  /** How long a closing connection may take to receive what was queued for it. */
  public static final long CLOSE_GRACE_NANOS = 5_000_000_000L;

  private final EventLoop loop;
  private final SelectionKey key;
  private TransportLayer layer; // replaced once at most: the web port's head layer, upgraded
  private final LineDecoder decoder;
  private final OutboundQueue outbound;
  private final Limits limits;
  private final SocketAddress remote;
  private final Owner owner;
  private final EnumSet<Pause> pauses = EnumSet.noneOf(Pause.class);
  private ConnectionHandler handler;

  private ByteBuffer stash; // bytes read but not yet decoded when a pause began; else null
  private boolean dirty; // on the loop's list of connections to flush
  private boolean closeAfterFlush; // no more input; close once the queue is written
  private boolean closed; // on the loop's close list or already closed
  private boolean readPending; // read at the next resume pass although no select reported it
  private boolean endUnreported; // end of stream seen by probeGone, not yet told to the handler
  private boolean writableAgain; // drained to low water; the handler hears of it on resume
  private long peakPendingBytes; // the most this connection ever had queued, for tests and stats
  private String closeReason;
  private EventLoop.Timer closeTimer; // forces a close that waits too long for its flush
  private int interestOps = SelectionKey.OP_READ; // what the key was last given
  boolean seated; // holds a --max-clients seat; the owner's to set

  /** Who accepted the connection: told when its transport gets established and when it closes. */
  @FunctionalInterface
  interface Owner {
    void closed(Connection connection);

    /**
     * The transport just got established after a handshake ({@link TransportLayer#isEstablished}
     * was false when accepted). The owner may close it at once ({@link #closeLater}).
     */
    default void established(Connection connection) {}
  }

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

  /** A plain TCP connection. */
  Connection(EventLoop loop, SocketChannel channel, SelectionKey key, Limits limits, Owner owner)
      throws IOException {
    this(loop, channel, key, limits, TransportLayer.PLAIN, owner);
  }

  Connection(
      EventLoop loop,
      SocketChannel channel,
      SelectionKey key,
      Limits limits,
      TransportLayer.Factory layers,
      Owner owner)
      throws IOException {
    this.loop = loop;
    this.owner = owner;
    this.key = key;
    this.limits = limits;
    this.decoder = new LineDecoder(limits.maxLineBytes());
    this.outbound = new OutboundQueue(loop.entryChunks());
    this.remote = channel.getRemoteAddress();
    this.layer =
        layers.open(channel, new TransportLayer.Host(this::layerProgressed, this::replace));
  }

  void bind(ConnectionHandler handler) {
    this.handler = handler;
  }

  /** Whether the connection waits for its handshake before it takes a seat. */
  boolean seatsWhenEstablished() {
    return layer.seatsWhenEstablished() && !layer.isEstablished();
  }

  @Override
  public SocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public long now() {
    return loop.now();
  }

  @Override
  public EventLoop.Timer schedule(long delayNanos, Runnable action) {
    return loop.schedule(delayNanos, action);
  }

  /** Neither closed nor closing once its queue is written: input and new lines still count. */
  private boolean isOpen() {
    return !closed && !closeAfterFlush;
  }

  @Override
  public long pendingBytes() {
    return outbound.pendingBytes();
  }

  /**
   * False from when the queue passes the high-water mark until it has drained to the low one.
   * Output that a handler makes on its own initiative and that can be large (a history answer)
   * waits while it is false, for {@link ConnectionHandler#onWritable}, so that it counts toward the
   * same bound as everything else queued: a client that asks without reading is paused, not fed.
   */
  @Override
  public boolean isWritable() {
    return !pauses.contains(Pause.OUTPUT_HIGH_WATER);
  }

  /** The most bytes ever queued for this client at once. */
  @Override
  public long peakPendingBytes() {
    return peakPendingBytes;
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
  @Override
  public boolean enqueue(ByteBuffer line) {
    if (!isOpen()) {
      return false;
    }
    ByteBuffer bytes = layer.framed(line);
    if (outbound.deliveryBytes() + bytes.remaining() > limits.maxQueueBytes()) {
      dropTooSlow();
      return false;
    }
    add(bytes, false);
    return true;
  }

  /**
   * Queues an answer to one of this client's own lines: as {@link #enqueue}, but never a reason to
   * drop the client. Answers cannot pile up: reading stops above the high-water mark, so the queue
   * passes the limit by one answer at most (a long {@code C CH}; without accounts its lines are
   * buffers shared with the server's recent-history ring).
   */
  @Override
  public void enqueueReply(ByteBuffer line) {
    if (!isOpen()) {
      return;
    }
    add(layer.framed(line), true);
  }

  private void add(ByteBuffer line, boolean reply) {
    outbound.add(line, reply);
    peakPendingBytes = Math.max(peakPendingBytes, outbound.pendingBytes());
    markDirty();
    if (outbound.pendingBytes() > limits.highWaterBytes()) {
      // Stops between lines, not only between reads: one read of pipelined lines can hold
      // thousands, and their replies would pass the queue limit and drop a client that reads them.
      pause(Pause.OUTPUT_HIGH_WATER);
    }
  }

  @Override
  public void pause(Pause reason) {
    if (pauses.add(reason)) {
      updateInterest();
    }
  }

  /**
   * Ends {@code reason}. Once no reason holds, what was stashed is decoded in the next iteration
   * (so that a completion never re-enters the handler), and the socket is read once the stash is
   * empty. The queue's own end of {@link Pause#OUTPUT_HIGH_WATER} comes this way too, and the
   * handler hears of it in that next iteration ({@link #onResumed}).
   */
  @Override
  public void resume(Pause reason) {
    if (!pauses.remove(reason)) {
      return;
    }
    if (reason == Pause.OUTPUT_HIGH_WATER && writableAgain
        || pauses.isEmpty() && (stash != null || endUnreported || layer.readsWithoutSelect())) {
      loop.resumeLater(this);
    } else {
      updateInterest();
    }
  }

  @Override
  public boolean isPaused() {
    return !pauses.isEmpty();
  }

  /** Bytes read and not yet decoded, for tests: input a handler never took. */
  boolean holdsUnreadInput() {
    return stash != null && stash.hasRemaining();
  }

  /** Reasons holding now, for tests. */
  EnumSet<Pause> pauses() {
    return EnumSet.copyOf(pauses);
  }

  /**
   * Writes what is queued, then closes; reads nothing more. A client that does not take the bytes
   * within {@link #CLOSE_GRACE_NANOS} is closed anyway, so a dead peer cannot hold the connection.
   * A connection whose transport never got established (a TLS handshake that did not finish, a web
   * request not upgraded) has nothing it could be sent, and closes at once.
   */
  @Override
  public void closeAfterFlush(String reason) {
    if (!isOpen()) {
      return;
    }
    if (!layer.isEstablished()) {
      closeLater(reason);
      return;
    }
    closeAfterFlush = true;
    closeReason = reason;
    closeTimer = loop.schedule(CLOSE_GRACE_NANOS, () -> closeLater(closeReason));
    markDirty();
    pause(Pause.CLOSING);
  }

  /** Closes at the end of this loop iteration without writing what is queued. */
  public void closeLater(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    pause(Pause.CLOSING); // sets no interest: the key is cancelled with the close
    if (closeReason == null) {
      closeReason = reason;
    }
    outbound.clear();
    loop.closeLater(this);
  }

  /**
   * Reads what the kernel already holds for this connection now, rather than when a later select
   * reports it. For a handler that has just ended a pause and must see the bytes that waited before
   * any that arrive meanwhile on other connections (classroom mode reads X's early message before Y
   * has even been told it is connected). Does nothing while paused or bytes are stashed.
   */
  @Override
  public void readNow() {
    if (!pauses.isEmpty()) {
      return;
    }
    try {
      if (stash != null || endUnreported) {
        onResumed(); // the bytes that waited longest; the socket is left for the next select
      } else {
        read();
      }
    } catch (RuntimeException | Error e) {
      EventLoop.rethrowIfFatal(e);
      onFailure(e);
    }
  }

  /**
   * Whether this connection wants the socket read: no pause holds, and nothing read earlier (bytes,
   * an end of stream) waits to be handed to the handler first.
   */
  private boolean wantsRead() {
    return pauses.isEmpty() && stash == null && !endUnreported;
  }

  /**
   * Whether the peer has gone, asked before work is spent on its behalf while its input is paused
   * (a password check): with reading off, a reset would go unnoticed. Reads what the transport
   * holds, keeping the bytes behind those already stashed, so nothing is lost or reordered. An end
   * of stream is not "gone", since a half-closed peer still reads what it is owed; it is told to
   * the handler once the lines before it are handled. Costs one read of at most the read buffer per
   * call. MUST be called on the loop thread and never while this connection's input is being
   * decoded (it uses the loop's read buffer).
   */
  @Override
  public boolean probeGone() {
    if (!isOpen()) {
      return true;
    }
    if (pauses.contains(Pause.INPUT_ENDED) || endUnreported) {
      return false; // nothing more can be learnt once the peer's end of stream has been read
    }
    ByteBuffer buffer = loop.readBuffer();
    int n = readOnce(buffer);
    if (n == LOST) {
      return true;
    }
    if (n < 0) {
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

  @Override
  public void onSelected(int readyOps) {
    boolean writable = (readyOps & SelectionKey.OP_WRITE) != 0;
    // A wish to read that the layer turned into OP_WRITE (a TLS read that needs a write first) is
    // served at the event it asked for instead; asked before the flush changes what is wanted.
    boolean readToo =
        (readyOps & SelectionKey.OP_READ) != 0
            || writable && wantsRead() && (interestOps & SelectionKey.OP_READ) == 0;
    // Writable first: it frees memory before reading makes more work.
    if (writable && !closed) {
      flush();
    }
    if (readToo && wantsRead()) {
      read();
    }
  }

  @Override
  public void onFailure(Throwable cause) {
    LOG.warn("closing connection from {} after an error", remote, cause);
    closeLater("internal error");
  }

  /** What {@link #readOnce} answers when the connection broke, which then closes. */
  private static final int LOST = -2;

  /** One read into {@code buffer}: the bytes read, -1 at end of stream, or {@link #LOST}. */
  private int readOnce(ByteBuffer buffer) {
    boolean wasEstablished = layer.isEstablished();
    buffer.clear();
    try {
      return layer.read(buffer);
    } catch (IOException e) {
      lost(e, wasEstablished);
      return LOST;
    } finally {
      if (!wasEstablished) {
        tellIfEstablished();
      }
    }
  }

  private void read() {
    boolean wasEstablished = layer.isEstablished();
    ByteBuffer buffer = loop.readBuffer();
    int n = readOnce(buffer);
    if (n == LOST) {
      return;
    }
    if (!wasEstablished) {
      markDirty(); // the handshake moved: what waited for it (the greeting) may go out now
    }
    if (n < 0) {
      // A half-close is not a disconnect: the replies the peer is owed (some may wait for the
      // store) still go out, and the handler closes after them.
      pause(Pause.INPUT_ENDED);
      handler.onEndOfInput();
      return;
    }
    buffer.flip();
    decode(buffer);
    if (buffer.hasRemaining() && isOpen()) {
      // The shared read buffer is reused by the next connection: keep our leftover privately.
      stash = ByteBuffer.allocate(buffer.remaining());
      stash.put(buffer).flip();
    } else if (layer.readsWithoutSelect() && wantsRead()) {
      readPending = true; // no select will report bytes the layer already holds
      loop.resumeLater(this);
    }
    updateInterest();
  }

  /**
   * Called by the loop for a connection passed to {@link EventLoop#resumeLater} (a pause ended, the
   * queue drained, the layer holds input or finished work off the loop): tells the handler that the
   * queue drained, if it did, then decodes what was stashed, then tells an end of stream found by
   * {@link #probeGone}, then reads again if the transport may hold input.
   */
  void onResumed() {
    if (!isOpen()) {
      return;
    }
    if (writableAgain) {
      writableAgain = false;
      handler.onWritable();
      if (!isOpen()) {
        return;
      }
    }
    if (stash != null) {
      decode(stash);
      if (!stash.hasRemaining()) {
        stash = null;
      }
    }
    if (stash == null && endUnreported && pauses.isEmpty()) {
      endUnreported = false;
      pause(Pause.INPUT_ENDED);
      handler.onEndOfInput();
      return;
    }
    boolean readAgain = readPending || layer.readsWithoutSelect();
    readPending = false;
    if (readAgain && wantsRead()) {
      read();
    } else {
      updateInterest();
    }
  }

  private void decode(ByteBuffer buffer) {
    if (handler instanceof ByteHandler bytes) {
      // No line decoding: the handler frames the bytes itself and leaves what it does not take.
      if (pauses.isEmpty()) {
        bytes.onBytes(buffer);
      }
    } else if (handler instanceof LineHandler lines) {
      while (pauses.isEmpty()) {
        Frame frame = decoder.next(buffer);
        if (frame == null) {
          return;
        }
        lines.onFrame(frame instanceof Frame.Fault fault ? layer.explain(fault) : frame);
      }
    }
  }

  /** From now on {@code next} carries this connection (a WebSocket upgrade was answered). */
  private void replace(TransportLayer next) {
    layer = next;
  }

  /** The transport layer finished work it did off the loop: try reading and writing again. */
  private void layerProgressed() {
    if (closed) {
      return;
    }
    markDirty();
    readPending = true;
    loop.resumeLater(this);
  }

  /** Called by the loop for a dirty connection at the end of an iteration. */
  void flush() {
    dirty = false;
    if (closed) {
      return;
    }
    boolean wasEstablished = layer.isEstablished();
    boolean allOut; // everything queued and everything the layer held has gone to the socket
    try {
      layer.flushHeld();
      if (!outbound.isEmpty()) {
        outbound.writeTo(layer, loop.writeBuffer(), EventLoop.MAX_WRITE_BYTES_PER_FLUSH);
      }
      allOut = closeAfterFlush && outbound.isEmpty() && layer.flushHeld();
    } catch (IOException e) {
      lost(e, layer.isEstablished());
      return;
    }
    if (!wasEstablished) {
      tellIfEstablished();
    }
    if (allOut) {
      closeLater(closeReason);
      return;
    }
    // A write that finished the handshake may have taken the peer's first bytes from the socket:
    // read them now, as no select will report them.
    if (!wasEstablished && layer.isEstablished() && layer.readsWithoutSelect()) {
      readPending = true;
      loop.resumeLater(this);
    }
    if (!isWritable() && outbound.pendingBytes() <= limits.lowWaterBytes()) {
      // The handler hears of it in the next iteration's resume pass, never in the middle of the
      // flush pass.
      writableAgain = true;
      resume(Pause.OUTPUT_HIGH_WATER);
    } else {
      updateInterest();
    }
  }

  private void tellIfEstablished() {
    if (layer.isEstablished() && !closed) {
      owner.established(this);
    }
  }

  /** Called by the loop when this connection's turn to close has come. */
  void closeNow() {
    if (closeTimer != null) {
      closeTimer.cancel();
    }
    key.cancel();
    try {
      layer.close(); // over TLS, a close_notify first when the socket takes it
    } catch (IOException e) {
      LOG.debug("error closing connection from {}", remote, e);
    }
    stash = null;
    owner.closed(this);
    if (handler != null) {
      handler.onClose(closeReason);
    }
  }

  /**
   * The peer reset the connection or it broke: routine for a server on a network, so neither an
   * "internal error" for others to see nor a stack trace in the log. Before the transport was
   * established (garbage or plain text to the TLS port, a web request cut short), the reason names
   * the step that failed, as the layer calls it: the handler's one log line of the close shows it.
   */
  private void lost(IOException cause, boolean wasEstablished) {
    if (!wasEstablished) {
      String why =
          cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
      closeLater(layer.establishingStep() + " failed: " + why);
      return;
    }
    LOG.debug("connection from {} lost: {}", remote, cause.toString());
    closeLater("connection lost");
  }

  private void dropTooSlow() {
    LOG.info("dropping {}: more than {} bytes queued", remote, limits.maxQueueBytes());
    // Best effort: the socket buffer is probably full, in which case the client never sees it.
    // Never after half a line, though: the goodbye would be glued to it as one garbled line.
    if (!outbound.midLine()) {
      try {
        layer.write(layer.framed(ByteBuffer.wrap(TOO_SLOW)));
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
    int ops = layer.interestOps(wantsRead(), !outbound.isEmpty());
    if (dirty) {
      // OP_WRITE only while bytes are left over after a flush: a writable socket with nothing to
      // write would wake the selector on every iteration. Dirty connections are flushed anyway.
      ops &= ~SelectionKey.OP_WRITE;
    }
    if (ops != interestOps) {
      interestOps = ops;
      key.interestOps(ops);
    }
  }
}
