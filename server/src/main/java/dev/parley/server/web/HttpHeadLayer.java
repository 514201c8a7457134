package dev.parley.server.web;

import dev.parley.net.TransportLayer;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The web port's first layer, over plain TCP or TLS: reads one HTTP request head ({@link HttpHead},
 * the metrics port's reader too). The WebSocket upgrade at {@code /ws}, from an allowed origin, is
 * answered {@code 101} and the connection handed a {@link WebSocketLayer} in this one's place, as
 * Netty's handshaker replaces its handler in the pipeline. Any other request is answered (a page
 * file, its head alone for HEAD, or an error: 400/403/404/405/421/426/431) and the connection then
 * ends like a client that hung up, so the chat session above it, which has not signed in, closes.
 * The session is thus the same for every transport, and so are its limits: the sign-in deadline
 * bounds how long a request head may take, max-clients counts page loads too. Loop thread only.
 */
public final class HttpHeadLayer implements TransportLayer {
  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

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
  private final Host host;
  private final SocketAddress remote;
  private final HttpHead head = new HttpHead();

  private ByteBuffer answer; // the HTTP answer while the socket has not taken it all; read mode
  private boolean allOut = true; // the last flushHeld wrote all this layer and the one below held
  private boolean endTold; // read has returned -1
  private boolean upgraded; // handed over to a WebSocket layer

  HttpHeadLayer(TransportLayer below, Port port, Host host, SocketAddress remote) {
    this.below = below;
    this.port = port;
    this.host = host;
    this.remote = remote;
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
    return (channel, host) ->
        new HttpHeadLayer(below.open(channel, host), port, host, channel.getRemoteAddress());
  }

  /** Never: the connection is established by the WebSocket layer that replaces this one. */
  @Override
  public boolean isEstablished() {
    return false;
  }

  @Override
  public String establishingStep() {
    if (!below.isEstablished()) {
      return below.establishingStep(); // https: the TLS handshake comes before any HTTP
    }
    return answered() ? "HTTP response" : "HTTP request";
  }

  /**
   * Nothing of the connection's queue goes out before the upgrade (its greeting waits for the
   * WebSocket); once a request is answered, the input ends when the answer is out, so a read waits
   * for the socket to take it.
   */
  @Override
  public int interestOps(boolean wantRead, boolean wantWrite) {
    boolean readWaits = !allOut;
    return below.interestOps(wantRead && !readWaits, readWaits);
  }

  /** An answered request: its end is due without a select once the answer is out. */
  @Override
  public boolean readsWithoutSelect() {
    return answered() && allOut && !endTold || below.readsWithoutSelect();
  }

  @Override
  public boolean flushHeld() throws IOException {
    allOut = below.flushHeld() && writeAnswer() && below.flushHeld();
    return allOut;
  }

  private boolean writeAnswer() throws IOException {
    if (answer != null) {
      below.write(answer);
      if (answer.hasRemaining()) {
        return false;
      }
      answer = null; // an idle connection holds no output buffer
    }
    return true;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (answered()) {
      return answeredRead();
    }
    int start = dst.position();
    int n = below.read(dst);
    if (n <= 0) {
      return n;
    }
    ByteBuffer read = dst.duplicate().limit(start + n).position(start);
    dst.position(start); // nothing of the head is for the layer above
    switch (head.take(read)) {
      case INCOMPLETE -> {
        return 0;
      }
      case TOO_LARGE -> answer(port.page().status(431, "Request Header Fields Too Large", ""));
      case COMPLETE -> respond(head.request(), read);
    }
    return answered() ? answeredRead() : 0;
  }

  /** Whether a plain HTTP answer was given: the input ends once it is out. */
  private boolean answered() {
    return head.progress() != HttpHead.Progress.INCOMPLETE && !upgraded;
  }

  private int answeredRead() {
    if (!allOut) {
      return 0;
    }
    endTold = true;
    return -1;
  }

  /** Answers {@code request}; {@code early} holds what the client sent after its head. */
  private void respond(HttpRequest request, ByteBuffer early) throws IOException {
    WebPage page = port.page();
    if (request == null) {
      answer(page.status(400, "Bad Request", ""));
    } else if (request.method().equals("GET") && request.path().equals("/ws")) {
      upgrade(request, early);
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
    byte[] file = port.page().get(path);
    return file != null ? file : port.page().status(404, "Not Found", "");
  }

  private void upgrade(HttpRequest request, ByteBuffer early) throws IOException {
    String key = request.header("sec-websocket-key");
    if (!request.headerHasToken("upgrade", "websocket")
        || !request.headerHasToken("connection", "upgrade")
        || key == null
        || !validKey(key)) {
      answer(notAnUpgrade());
      return;
    }
    if (!"13".equals(request.header("sec-websocket-version"))) {
      answer(port.page().status(426, "Upgrade Required", "Sec-WebSocket-Version: 13\r\n"));
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
    byte[] frames = early.hasRemaining() ? new byte[early.remaining()] : null;
    if (frames != null) {
      early.get(frames);
    }
    upgraded = true;
    WebSocketLayer next =
        new WebSocketLayer(
            below, port, remote, response.getBytes(StandardCharsets.US_ASCII), frames);
    host.replace().accept(next);
    next.flushHeld(); // the 101 goes out now if the socket takes it
  }

  /** The answer at {@code /ws} to a request that is no valid WebSocket upgrade. */
  private byte[] notAnUpgrade() {
    return port.page().status(400, "Bad Request", "");
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
      return port.page()
          .status(
              403,
              "Forbidden",
              "",
              "A page of another site may not open this chat. Its operator can allow that site"
                  + " with --web-origin.\n");
    }
    if (!port.names().contains(host)) {
      return port.page()
          .status(
              421,
              "Misdirected Request",
              "",
              "This server does not go by the name the page was loaded from. Open the page by the"
                  + " server's own name or address, or have its operator add the page's origin"
                  + " with --web-origin.\n");
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
    answer = ByteBuffer.wrap(response);
    flushHeld();
  }

  /** Each line as one text message, queued now for after the upgrade. */
  @Override
  public ByteBuffer framed(ByteBuffer lines) {
    return port.frames().frame(lines);
  }

  /** Nothing goes out before the upgrade but the answer. */
  @Override
  public int write(ByteBuffer src) {
    return 0;
  }

  @Override
  public boolean isOpen() {
    return below.isOpen();
  }

  @Override
  public void close() throws IOException {
    below.close();
  }
}
