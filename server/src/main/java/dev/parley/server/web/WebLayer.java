package dev.parley.server.web;

import dev.parley.protocol.ConsoleText;
import dev.parley.protocol.Frame;
import dev.parley.protocol.WebSocketFrames;
import dev.parley.server.net.TransportLayer;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web port's layer, over plain TCP or TLS: first one HTTP request, then, if it was the
 * WebSocket upgrade at {@code /ws}, WebSocket frames carrying one protocol line per text message
 * each way. Any other request is answered (a page file, its head alone for HEAD, or an error:
 * 400/403/404/405/421/426/431) and the connection then ends like a client that hung up, so the chat
 * session above it, which has not signed in, closes. The session is thus the same for every
 * transport, and so are its limits: the sign-in deadline bounds how long a request head may take,
 * max-clients counts page loads too.
 *
 * <p>Output: the connection queues each line already framed as one text message ({@link #framed},
 * asked by the connection as it queues), by the port's {@link ServerFrames}, which frames a buffer
 * fanned out to many connections once; so the bytes written here are frames already and pass
 * straight through, as cheap as plain TCP. A pong or the close frame waits for the end of the frame
 * being written ({@link OutgoingFrames}). Loop thread only.
 */
public final class WebLayer implements TransportLayer {
  private static final Logger LOG = LoggerFactory.getLogger(WebLayer.class);
  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private enum State {
    REQUEST, // reading the request head
    ANSWERED, // a plain HTTP response is going out; then the input ends
    WEBSOCKET
  }

  /**
   * What the connections of one web port share: the page, the framing of fanned-out lines, who may
   * open the WebSocket, and the line limit.
   *
   * @param origins origins other than the page's own allowed to open the WebSocket
   * @param names the server's own names, for which the page's own origin is accepted
   */
  record Port(
      WebPage page,
      ServerFrames frames,
      List<String> origins,
      OwnNames names,
      boolean secure,
      int maxLineBytes) {}

  private final TransportLayer below;
  private final Port port;
  private final WebPage page;
  private final WebSocketDecoder decoder;
  private final SocketAddress remote; // for the log line of the peer's close
  private final OutgoingFrames outgoing = new OutgoingFrames();

  private State state = State.REQUEST;
  private byte[] head = new byte[HttpRequest.MAX_HEAD_BYTES]; // null once the head is read
  private int headBytes;
  private byte[] early; // bytes the client sent after its request head, before our answer
  private ByteBuffer held; // the HTTP answer while the socket has not taken it all; read mode
  private boolean allOut = true; // the last flushHeld wrote all this layer and the one below held

  // Pongs. RFC 6455 5.5.3 lets a pong answer only the latest of the pings not answered yet, so one
  // frame is ever held, in a buffer made once: a client that pings and never reads costs 127 bytes
  // and, while its pong waits for the socket, no reading (readWaitsForWrite), like any client
  // that does not take what it is sent.
  private final ByteBuffer pong = ByteBuffer.allocate(2 + 125).limit(0); // read mode; empty: none
  private final byte[] ping = new byte[125]; // the latest ping whose pong has not started
  private int pingLength = -1; // its length; -1: every ping is answered

  private ArrayDeque<Frame.Fault> refusals; // why each marked line not decoded yet is refused

  private ByteBuffer closing; // our close frame while the socket has not taken it all
  private boolean closeSent;
  private boolean endTold; // read has returned -1

  WebLayer(TransportLayer below, Port port, SocketAddress remote) {
    this.below = below;
    this.port = port;
    this.page = port.page();
    this.remote = remote;
    this.decoder = new WebSocketDecoder(new DecoderReplies(), port.maxLineBytes());
  }

  /**
   * A factory for the connections of a web port, each over what {@code below} makes; {@code names}
   * are the server's own, {@code maxLineBytes} the connections' line limit.
   */
  public static Factory factory(Factory below, WebConfig config, OwnNames names, int maxLineBytes) {
    Port port =
        new Port(
            new WebPage(config.tls()),
            new ServerFrames(),
            config.origins(),
            names,
            config.tls(),
            maxLineBytes);
    return (channel, progressed) ->
        new WebLayer(below.open(channel, progressed), port, channel.getRemoteAddress());
  }

  @Override
  public boolean isEstablished() {
    return state == State.WEBSOCKET && below.isEstablished();
  }

  @Override
  public String establishingStep() {
    if (!below.isEstablished()) {
      return below.establishingStep(); // https: the TLS handshake comes before any HTTP
    }
    return state == State.ANSWERED ? "HTTP response" : "HTTP request";
  }

  /**
   * Before the upgrade nothing of the connection's queue goes out (its greeting waits for the
   * WebSocket); what this layer holds is written when the socket takes it. After an answered
   * request, the input ends once the answer is out; a WebSocket client's input waits while a pong
   * is owed that the socket has not taken (a client that pings and does not read is not read
   * either, so its pings wait in the kernel, not here): such a read asks for {@code OP_WRITE}.
   */
  @Override
  public int interestOps(boolean wantRead, boolean wantWrite) {
    boolean readWaits =
        state == State.ANSWERED && !allOut || state == State.WEBSOCKET && pongWaits();
    boolean write = state == State.WEBSOCKET && (wantWrite || holdsOwnOutput());
    return below.interestOps(wantRead && !readWaits, write || readWaits);
  }

  @Override
  public boolean readsWithoutSelect() {
    // An answered request, or frames that ended the input: the end is due without a select.
    return state == State.ANSWERED && allOut && !endTold
        || state == State.WEBSOCKET && decoder.stopped() && !endTold
        || early != null
        || below.readsWithoutSelect();
  }

  /** The HTTP answer, a pong or our close frame waits for the socket. */
  private boolean holdsOwnOutput() {
    return held != null || pongWaits() || closing != null;
  }

  /** A pong is being written, or one is owed and nothing but the socket keeps it back. */
  private boolean pongWaits() {
    return pong.hasRemaining() || pingLength >= 0 && outgoing.atBoundary();
  }

  /**
   * Writes what this layer holds, in the order the peer must read it: the HTTP answer, a pong (only
   * between two frames), our close frame (after everything else).
   */
  @Override
  public boolean flushHeld() throws IOException {
    allOut = writeHeld();
    return allOut;
  }

  private boolean writeHeld() throws IOException {
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
    return switch (state) {
      case REQUEST -> readRequest(dst);
      case ANSWERED -> answeredRead();
      case WEBSOCKET -> readFrames(dst);
    };
  }

  private int answeredRead() {
    if (!allOut) {
      return 0;
    }
    endTold = true;
    return -1;
  }

  private int readRequest(ByteBuffer dst) throws IOException {
    int start = dst.position();
    int n = below.read(dst);
    if (n <= 0) {
      return n;
    }
    for (int i = start; i < start + n; i++) {
      if (headBytes == head.length) {
        answer(page.status(431, "Request Header Fields Too Large", ""));
        return answeredRead();
      }
      head[headBytes++] = dst.get(i);
      if (headEnded()) {
        if (i + 1 < start + n) {
          early = new byte[start + n - i - 1];
          dst.get(i + 1, early);
        }
        dst.position(start);
        respond(HttpRequest.parse(head, headBytes - 4));
        head = null;
        return state == State.ANSWERED ? answeredRead() : 0;
      }
    }
    dst.position(start);
    return 0;
  }

  private boolean headEnded() {
    return headBytes >= 4
        && head[headBytes - 4] == '\r'
        && head[headBytes - 3] == '\n'
        && head[headBytes - 2] == '\r'
        && head[headBytes - 1] == '\n';
  }

  private void respond(HttpRequest request) throws IOException {
    if (request == null) {
      answer(page.status(400, "Bad Request", ""));
    } else if (request.method().equals("GET") && request.path().equals("/ws")) {
      upgrade(request);
    } else if (request.method().equals("GET")) {
      answer(fileOr404(request.path()));
    } else if (request.method().equals("HEAD")) {
      // What GET would answer, head only (RFC 9110 9.3.2). A HEAD cannot upgrade: /ws gets what
      // a GET without the upgrade headers gets.
      answer(
          WebPage.headOnly(
              request.path().equals("/ws") ? notAnUpgrade() : fileOr404(request.path())));
    } else {
      answer(page.status(405, "Method Not Allowed", "Allow: GET, HEAD\r\n"));
    }
  }

  private byte[] fileOr404(String path) {
    byte[] file = page.get(path);
    return file != null ? file : page.status(404, "Not Found", "");
  }

  private void upgrade(HttpRequest request) throws IOException {
    String key = request.header("sec-websocket-key");
    if (!request.headerHasToken("upgrade", "websocket")
        || !request.headerHasToken("connection", "upgrade")
        || key == null
        || !validKey(key)) {
      answer(notAnUpgrade());
      return;
    }
    if (!"13".equals(request.header("sec-websocket-version"))) {
      answer(page.status(426, "Upgrade Required", "Sec-WebSocket-Version: 13\r\n"));
      return;
    }
    byte[] refused = originRefused(request.header("origin"), request.header("host"));
    if (refused != null) {
      answer(refused);
      return;
    }
    String response =
        "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: "
            + acceptKey(key)
            + "\r\n\r\n";
    state = State.WEBSOCKET;
    queue(response.getBytes(StandardCharsets.US_ASCII));
  }

  /** The answer at {@code /ws} to a request that is no valid WebSocket upgrade. */
  private byte[] notAnUpgrade() {
    return page.status(400, "Bad Request", "");
  }

  /**
   * A browser always names the page that opens a WebSocket; one from another site must not reach
   * the chat with the user's network position (cross-site WebSocket hijacking): 403. The page's own
   * origin is the one whose host is the request's {@code Host}, accepted only when that is one of
   * the server's own names ({@link OwnNames}): otherwise the page may come from a name rebound to
   * this server's address (DNS rebinding), and the request was not meant for this server: 421. The
   * origins of {@code --web-origin} are accepted as they are. A request without an Origin comes
   * from a program, not a page, and is let in like a TCP client.
   *
   * @return the refusal to answer with, or null when the upgrade may go on
   */
  private byte[] originRefused(String origin, String host) {
    if (origin == null || port.origins().contains(origin)) {
      return null;
    }
    if (host == null || !origin.equalsIgnoreCase((port.secure() ? "https://" : "http://") + host)) {
      return page.status(
          403,
          "Forbidden",
          "",
          "A page of another site may not open this chat. Its operator can allow that site with"
              + " --web-origin.\n");
    }
    if (!port.names().contains(host)) {
      return page.status(
          421,
          "Misdirected Request",
          "",
          "This server does not go by the name the page was loaded from. Open the page by the"
              + " server's own name or address, or have its operator add the page's origin with"
              + " --web-origin.\n");
    }
    return null;
  }

  private static boolean validKey(String key) {
    try {
      return Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static String acceptKey(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest = sha1.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  private void answer(byte[] response) throws IOException {
    state = State.ANSWERED;
    head = null;
    queue(response);
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

  /** The one HTTP answer, given to the socket as far as it takes it now. */
  private void queue(byte[] bytes) throws IOException {
    held = ByteBuffer.wrap(bytes);
    flushHeld();
  }

  /** Each line as one text message; the same buffer for the same lines (fan-out). */
  @Override
  public ByteBuffer framed(ByteBuffer lines) {
    return port.frames().frame(lines);
  }

  /** Frames made by {@link #framed}, passed through; a pending control frame goes first. */
  @Override
  public int write(ByteBuffer src) throws IOException {
    if (state != State.WEBSOCKET) {
      return 0;
    }
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
    if (state == State.WEBSOCKET && !closeSent && below.isOpen()) {
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
