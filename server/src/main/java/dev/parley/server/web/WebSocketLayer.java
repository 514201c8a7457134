package dev.parley.server.web;

import dev.parley.net.TransportLayer;
import dev.parley.protocol.ConsoleText;
import dev.parley.protocol.Frame;
import dev.parley.protocol.WebSocketFrames;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web port's layer once the WebSocket upgrade is answered ({@link HttpHeadLayer} hands the
 * connection this one): WebSocket frames carrying one protocol line per text message each way, over
 * plain TCP or TLS.
 *
 * <p>Output: the connection queues each line already framed as one text message ({@link #framed},
 * asked by the connection as it queues), by the port's {@link ServerFrames}, which frames a buffer
 * fanned out to many connections once; so the bytes written here are frames already and pass
 * straight through, as cheap as plain TCP. A pong or the close frame waits for the end of the frame
 * being written ({@link OutgoingFrames}). Loop thread only.
 */
public final class WebSocketLayer implements TransportLayer {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketLayer.class);

  private final TransportLayer below;
  private final HttpHeadLayer.Port port;
  private final WebSocketDecoder decoder;
  private final SocketAddress remote; // for the log line of the peer's close
  private final OutgoingFrames outgoing = new OutgoingFrames();

  private byte[] early; // frames the client sent right behind its request head; or null
  private ByteBuffer held; // the 101 answer while the socket has not taken it all; read mode

  // Pongs. RFC 6455 5.5.3 lets a pong answer only the latest of the pings not answered yet, so one
  // frame is ever held, in a buffer made once: a client that pings and never reads costs 127 bytes
  // and, while its pong waits for the socket, no reading (interestOps), like any client that does
  // not take what it is sent.
  private final ByteBuffer pong = // read mode; empty: none
      ByteBuffer.allocate(2 + WebSocketFrames.MAX_CONTROL_PAYLOAD).limit(0);
  // the latest ping whose pong has not started
  private final byte[] ping = new byte[WebSocketFrames.MAX_CONTROL_PAYLOAD];
  private int pingLength = -1; // its length; -1: every ping is answered

  private ArrayDeque<Frame.Fault> refusals; // why each marked line not decoded yet is refused

  private ByteBuffer closing; // our close frame while the socket has not taken it all
  private boolean closeSent;
  private boolean endTold; // read has returned -1

  /**
   * @param response the 101 answer, written before any frame
   * @param early frames the client sent right behind its request head, or null
   */
  WebSocketLayer(
      TransportLayer below,
      HttpHeadLayer.Port port,
      SocketAddress remote,
      byte[] response,
      byte[] early) {
    this.below = below;
    this.port = port;
    this.remote = remote;
    this.held = ByteBuffer.wrap(response);
    this.early = early;
    this.decoder = new WebSocketDecoder(new DecoderReplies(), port.maxLineBytes());
  }

  @Override
  public boolean isEstablished() {
    return below.isEstablished();
  }

  @Override
  public String establishingStep() {
    return below.establishingStep();
  }

  /**
   * A client's input waits while a pong is owed that the socket has not taken (a client that pings
   * and does not read is not read either, so its pings wait in the kernel, not here): such a read
   * asks for {@code OP_WRITE}. What this layer holds is written when the socket takes it.
   */
  @Override
  public int interestOps(boolean wantRead, boolean wantWrite) {
    boolean readWaits = pongWaits();
    boolean write = wantWrite || holdsOwnOutput();
    return below.interestOps(wantRead && !readWaits, write || readWaits);
  }

  @Override
  public boolean readsWithoutSelect() {
    // Frames that ended the input: the end is due without a select.
    return decoder.stopped() && !endTold || early != null || below.readsWithoutSelect();
  }

  /** The 101 answer, a pong or our close frame waits for the socket. */
  private boolean holdsOwnOutput() {
    return held != null || pongWaits() || closing != null;
  }

  /** A pong is being written, or one is owed and nothing but the socket keeps it back. */
  private boolean pongWaits() {
    return pong.hasRemaining() || pingLength >= 0 && outgoing.atBoundary();
  }

  /**
   * Writes what this layer holds, in the order the peer must read it: the 101 answer, a pong (only
   * between two frames), our close frame (after everything else).
   */
  @Override
  public boolean flushHeld() throws IOException {
    if (!below.flushHeld()) {
      return false;
    }
    if (held != null) {
      below.write(held);
      if (held.hasRemaining()) {
        return false;
      }
      held = null; // an idle connection holds no output buffer
    }
    while (pingLength >= 0 || pong.hasRemaining()) {
      // A pong of which nothing went out yet answers an older ping: the latest one replaces it.
      if (pingLength >= 0 && outgoing.atBoundary() && pong.position() == 0) {
        pong.clear();
        WebSocketFrames.putHeader(pong, WebSocketFrames.FIN | WebSocketFrames.PONG, pingLength);
        pong.put(ping, 0, pingLength).flip();
        pingLength = -1;
      }
      if (!pong.hasRemaining()) {
        break; // the ping waits for the end of the frame being written
      }
      below.write(pong);
      if (pong.hasRemaining()) {
        return false;
      }
      pong.limit(0).position(0); // written: the next pong may fill it
    }
    if (closing != null) {
      below.write(closing);
      if (!closing.hasRemaining()) {
        closing = null;
      }
    }
    return !holdsOwnOutput() && below.flushHeld();
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return readFrames(dst);
  }

  private int readFrames(ByteBuffer dst) throws IOException {
    if (decoder.stopped()) {
      return framesEnded();
    }
    int start = dst.position();
    if (dst.remaining() < 2) {
      return 0;
    }
    // One byte of room before the frame bytes: a message's closing LF may need it.
    int from = start + 1;
    int n;
    if (early != null) {
      n = Math.min(early.length, dst.remaining() - 1);
      dst.put(from, early, 0, n);
      early = n == early.length ? null : Arrays.copyOfRange(early, n, early.length);
    } else {
      dst.position(from);
      n = below.read(dst);
      dst.position(start);
      if (n < 0) {
        endTold = true;
        return -1;
      }
    }
    int end = decoder.decode(dst, from, from + n, start);
    dst.position(end);
    if (decoder.stopped() && end == start) {
      return framesEnded();
    }
    return end - start;
  }

  /** The input ends at a close frame or a protocol error; the peer's close is logged once. */
  private int framesEnded() {
    if (!endTold && decoder.peerClosed()) {
      // The reason is the client's text: neutralised for the log (at most 123 bytes by RFC 6455).
      LOG.info(
          "WebSocket close from {}: {}",
          remote,
          decoder.peerCode() == 0
              ? "no code"
              : decoder.peerCode() + " \"" + ConsoleText.neutralise(decoder.peerReason()) + "\"");
    }
    endTold = true;
    return -1;
  }

  /**
   * Names what was wrong with a message the line decoder refused as not UTF-8: over WebSocket, only
   * the decoder's marks make such a line, and each mark was told to {@link DecoderReplies}.
   */
  @Override
  public Frame.Fault explain(Frame.Fault fault) {
    if (fault != Frame.Fault.INVALID_UTF8 || refusals == null) {
      return fault;
    }
    Frame.Fault why = refusals.poll();
    if (refusals.isEmpty()) {
      refusals = null; // a connection with nothing refused holds no deque
    }
    return why;
  }

  /** What the decoder tells this layer. */
  private final class DecoderReplies implements WebSocketDecoder.Replies {
    @Override
    public void pong(byte[] payload, int length) {
      pingArrived(payload, length);
    }

    @Override
    public void refused(Frame.Fault why) {
      if (refusals == null) {
        refusals = new ArrayDeque<>();
      }
      refusals.add(why);
    }
  }

  /** Keeps the latest ping to answer (an older one not answered yet is answered by this pong). */
  private void pingArrived(byte[] payload, int length) {
    if (closeSent) {
      return;
    }
    System.arraycopy(payload, 0, ping, 0, length);
    pingLength = length;
    try {
      flushHeld(); // now, if no frame is half written and the socket takes it
    } catch (IOException e) {
      // The socket broke; the next read or write says so to the connection.
    }
  }

  /** Each line as one text message; the same buffer for the same lines (fan-out). */
  @Override
  public ByteBuffer framed(ByteBuffer lines) {
    return port.frames().frame(lines);
  }

  /** Frames made by {@link #framed}, passed through; a pending control frame goes first. */
  @Override
  public int write(ByteBuffer src) throws IOException {
    flushHeld();
    if (held != null || pong.hasRemaining()) {
      return 0; // a control frame waits for the socket, and the frames behind it wait for it
    }
    if (closeSent) {
      int skipped = src.remaining();
      src.position(src.limit());
      return skipped;
    }
    int limit = src.limit();
    if (pingLength >= 0 && outgoing.payloadLeft() > 0) {
      // Only to the end of the current frame: the pong goes right after it.
      src.limit((int) Math.min(limit, src.position() + outgoing.payloadLeft()));
    }
    int from = src.position();
    int written;
    try {
      written = below.write(src);
    } finally {
      src.limit(limit);
    }
    outgoing.written(src, from, from + written);
    if (pingLength >= 0 && outgoing.atBoundary()) {
      flushHeld();
    }
    return written;
  }

  @Override
  public boolean isOpen() {
    return below.isOpen();
  }

  /**
   * The closing handshake, best effort: a close frame (echoing the peer's code, or saying why we
   * stopped reading) after everything written, then the layer below closes.
   */
  @Override
  public void close() throws IOException {
    if (!closeSent && below.isOpen()) {
      int code = decoder.stopped() ? decoder.closeCode() : WebSocketDecoder.NORMAL;
      closeSent = true;
      pingLength = -1; // a ping not answered yet stays so: the close ends the conversation
      try {
        if (outgoing.atBoundary()) { // else the peer would read it inside a frame: just hang up
          closing = ByteBuffer.wrap(WebSocketFrames.close(code));
          flushHeld();
        }
      } catch (IOException e) {
        // Gone already: nothing to say goodbye to.
      }
    }
    below.close();
  }
}
