package dev.parley.server;

import dev.parley.server.metrics.PrometheusText;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --metrics-port}: {@code GET /metrics} (Prometheus text format) and {@code GET /healthz}
 * over plain HTTP/1.1, one request per connection, served by a small non-blocking server on one
 * thread of its own ({@code parley-metrics}).
 *
 * <p>Why not the JDK's HTTP server: it reads a request head in blocking mode on its executor's
 * thread, with no time limit unless {@code sun.net.httpserver.maxReqTime} is set for the whole JVM
 * before the server class loads (whole seconds only). One connection that sent half a head held its
 * only thread, and {@code /healthz} with it, for as long as it stayed open. Here every connection
 * is read without blocking, a head has {@link #MAX_HEAD_BYTES} and the request time (5 s unless
 * given) to arrive, and at most {@link #MAX_CONNECTIONS} are open: one more pushes out the oldest,
 * so a health check always gets in.
 *
 * <p>The thread never touches loop state: each request asks the loop for its numbers ({@link
 * ChatServer#metrics}) and waits at most {@link #LOOP_ANSWER_TIMEOUT}; a loop that does not answer
 * in time makes the request fail with 503, which is itself a health signal. That wait is the only
 * one on this thread, and no client can cause it.
 */
final class MetricsEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

  static final Duration LOOP_ANSWER_TIMEOUT = Duration.ofSeconds(2);

  /** How long a connection has to send its request head and take the answer. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  /** A scraper's request head is a few hundred bytes. */
  static final int MAX_HEAD_BYTES = 8 * 1024;

  /** Connections open at once; one more closes the oldest. */
  static final int MAX_CONNECTIONS = 64;

  private static final String TEXT = "text/plain; charset=utf-8";
  private static final long ACCEPT_PAUSE_NANOS = 1_000_000_000L;

  private final ServerSocketChannel listener;
  private final Selector selector;
  private final ChatServer server;
  private final long requestTimeoutNanos;
  private final Thread thread;
  private volatile boolean closing;
  private int open; // connections, the listener not counted
  private boolean acceptPaused; // after a failed accept, until acceptPausedUntil
  private long acceptPausedUntil; // System.nanoTime()

  private MetricsEndpoint(
      ServerSocketChannel listener, Selector selector, ChatServer server, Duration requestTimeout) {
    this.listener = listener;
    this.selector = selector;
    this.server = server;
    this.requestTimeoutNanos = requestTimeout.toNanos();
    this.thread = new Thread(this::run, "parley-metrics");
    thread.setDaemon(true);
  }

  /** Binds {@code host:port} (0 picks a free port) and starts serving {@code server}. */
  static MetricsEndpoint start(String host, int port, ChatServer server) throws IOException {
    return start(host, port, server, REQUEST_TIMEOUT);
  }

  /** As {@link #start(String, int, ChatServer)}, with another request time (tests). */
  static MetricsEndpoint start(String host, int port, ChatServer server, Duration requestTimeout)
      throws IOException {
    ServerSocketChannel listener = ServerSocketChannel.open();
    Selector selector = null;
    try {
      listener.bind(new InetSocketAddress(host, port), 16);
      listener.configureBlocking(false);
      selector = Selector.open();
      listener.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      listener.close();
      if (selector != null) {
        selector.close();
      }
      throw e;
    }
    MetricsEndpoint endpoint = new MetricsEndpoint(listener, selector, server, requestTimeout);
    endpoint.thread.start();
    return endpoint;
  }

  InetSocketAddress address() {
    try {
      return (InetSocketAddress) listener.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("the metrics port is closed", e);
    }
  }

  /** Closes the port and every connection; returns once the thread has done so. */
  @Override
  public void close() {
    closing = true;
    selector.wakeup();
    try {
      thread.join(LOOP_ANSWER_TIMEOUT.multipliedBy(2).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- the metrics thread ----

  private void run() {
    try {
      while (!closing) {
        long now = System.nanoTime();
        long wait = Math.min(closeExpired(now), resumeAccepting(now));
        selector.select(Math.max(1, wait / 1_000_000));
        Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
          SelectionKey key = ready.next();
          ready.remove();
          if (key.channel() == listener) {
            accept(key);
          } else {
            try {
              ((Exchange) key.attachment()).onReady(key);
            } catch (RuntimeException e) {
              LOG.warn("metrics connection closed after {}", e.toString());
              close(key); // that connection only
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("the metrics port stopped: {}", e.toString());
    } finally {
      closeAll();
    }
  }

  private void accept(SelectionKey listenerKey) {
    SocketChannel channel = null;
    try {
      while ((channel = listener.accept()) != null) {
        if (open >= MAX_CONNECTIONS) {
          closeOldest();
        }
        channel.configureBlocking(false);
        Exchange exchange = new Exchange(channel, System.nanoTime() + requestTimeoutNanos);
        channel.register(selector, SelectionKey.OP_READ, exchange);
        open++;
      }
    } catch (IOException e) {
      // Out of descriptors, most likely: a level-triggered selector would report the waiting
      // connection again at once, so accepting pauses rather than spinning.
      LOG.warn("metrics port: accept failed ({}); trying again in 1 s", e.toString());
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // it was never served
        }
      }
      listenerKey.interestOps(0);
      acceptPausedUntil = System.nanoTime() + ACCEPT_PAUSE_NANOS;
      acceptPaused = true;
    }
  }

  /** Accepts again once a pause is over; returns the nanoseconds until then, if paused. */
  private long resumeAccepting(long now) {
    if (!acceptPaused) {
      return Long.MAX_VALUE;
    }
    if (now - acceptPausedUntil < 0) {
      return acceptPausedUntil - now;
    }
    acceptPaused = false;
    listener.keyFor(selector).interestOps(SelectionKey.OP_ACCEPT);
    return Long.MAX_VALUE;
  }

  /** Closes connections past their time; returns the nanoseconds until the next one is due. */
  private long closeExpired(long now) {
    long next = requestTimeoutNanos;
    for (SelectionKey key : selector.keys()) {
      if (key.isValid() && key.attachment() instanceof Exchange exchange) {
        long left = exchange.deadline - now;
        if (left <= 0) {
          LOG.debug("metrics connection closed: no whole request in time");
          close(key);
        } else {
          next = Math.min(next, left);
        }
      }
    }
    return next;
  }

  private void closeOldest() {
    SelectionKey oldest = null;
    for (SelectionKey key : selector.keys()) {
      if (key.isValid()
          && key.attachment() instanceof Exchange exchange
          && (oldest == null || exchange.deadline < ((Exchange) oldest.attachment()).deadline)) {
        oldest = key;
      }
    }
    if (oldest != null) {
      LOG.debug("metrics connection closed: {} open", MAX_CONNECTIONS);
      close(oldest);
    }
  }

  private void close(SelectionKey key) {
    if (!key.isValid()) {
      return; // closed earlier in this round; counted then
    }
    key.cancel();
    try {
      key.channel().close();
    } catch (IOException e) {
      LOG.debug("closing a metrics connection: {}", e.toString());
    }
    open--;
  }

  private void closeAll() {
    for (SelectionKey key : selector.keys()) {
      try {
        key.channel().close(); // the listener too
      } catch (IOException e) {
        LOG.debug("closing the metrics port: {}", e.toString());
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      LOG.debug("closing the metrics selector: {}", e.toString());
    }
  }

  /** One connection: its request head as it arrives, then its answer as it leaves. */
  private final class Exchange {
    private final SocketChannel channel;
    private final long deadline; // System.nanoTime() by which it must be done
    private final ByteBuffer head = ByteBuffer.allocate(MAX_HEAD_BYTES);
    private ByteBuffer answer; // null while the head is being read
    private boolean draining; // answered and output shut: reading to the peer's end

    Exchange(SocketChannel channel, long deadline) {
      this.channel = channel;
      this.deadline = deadline;
    }

    void onReady(SelectionKey key) {
      try {
        if (draining) {
          drain(key);
          return;
        }
        if (answer == null) {
          read(key);
        }
        if (key.isValid() && answer != null) {
          channel.write(answer);
          if (answer.hasRemaining()) {
            key.interestOps(SelectionKey.OP_WRITE);
            return;
          }
          // One request per connection. Closing with input unread (a request body) would send
          // a reset that can destroy the answer before the peer reads it: end our side, read
          // the peer's to its end (within the same deadline), then close.
          channel.shutdownOutput();
          draining = true;
          key.interestOps(SelectionKey.OP_READ);
          drain(key);
        }
      } catch (IOException e) {
        LOG.debug("metrics connection lost: {}", e.toString());
        close(key);
      }
    }

    private void read(SelectionKey key) throws IOException {
      int n = channel.read(head);
      if (n < 0) {
        close(key);
        return;
      }
      int end = endOfHead();
      if (end >= 0) {
        answer = answer(new String(head.array(), 0, end, StandardCharsets.ISO_8859_1));
      } else if (!head.hasRemaining()) {
        answer = response(431, "request head too large\n", TEXT, false);
      }
    }

    private void drain(SelectionKey key) throws IOException {
      int n;
      do {
        head.clear();
        n = channel.read(head);
      } while (n > 0);
      if (n < 0) {
        close(key);
      }
    }

    /** Where the blank line that ends the head starts, or -1 while it has not arrived. */
    private int endOfHead() {
      byte[] bytes = head.array();
      for (int i = 0; i + 1 < head.position(); i++) {
        if (bytes[i] == '\n'
            && (bytes[i + 1] == '\n'
                || (bytes[i + 1] == '\r' && i + 2 < head.position() && bytes[i + 2] == '\n'))) {
          return i;
        }
      }
      return -1;
    }
  }

  /** The answer to a request head (its first line is all that counts). */
  private ByteBuffer answer(String head) {
    String requestLine = head.lines().findFirst().orElse("");
    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      return response(400, "bad request\n", TEXT, false);
    }
    String method = parts[0];
    String target = parts[1];
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    boolean headOnly = method.equals("HEAD");
    if (!path.equals("/metrics") && !path.equals("/healthz")) {
      return response(404, "not found\n", TEXT, headOnly);
    }
    if (!method.equals("GET") && !headOnly) {
      return response(405, "GET only\n", TEXT, false);
    }
    try {
      if (path.equals("/metrics")) {
        return response(
            200, server.metrics(LOOP_ANSWER_TIMEOUT), PrometheusText.CONTENT_TYPE, headOnly);
      }
      if (!server.healthy(LOOP_ANSWER_TIMEOUT)) {
        throw new IllegalStateException("the event loop did not answer");
      }
      return response(200, "ok\n", TEXT, headOnly);
    } catch (IllegalStateException e) {
      LOG.warn("{} answered 503: {}", path, e.getMessage());
      return response(503, "unavailable: " + e.getMessage() + "\n", TEXT, headOnly);
    }
  }

  private static ByteBuffer response(int status, String body, String contentType, boolean head) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String statusLine =
        switch (status) {
          case 200 -> "200 OK";
          case 400 -> "400 Bad Request";
          case 404 -> "404 Not Found";
          case 405 -> "405 Method Not Allowed\r\nAllow: GET, HEAD";
          case 431 -> "431 Request Header Fields Too Large";
          default -> "503 Service Unavailable";
        };
    String header =
        "HTTP/1.1 "
            + statusLine
            + "\r\nContent-Type: "
            + contentType
            + "\r\nContent-Length: "
            + bytes.length
            + "\r\nConnection: close\r\n\r\n";
    byte[] headerBytes = header.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out = ByteBuffer.allocate(headerBytes.length + (head ? 0 : bytes.length));
    out.put(headerBytes);
    if (!head) {
      out.put(bytes);
    }
    return out.flip();
  }
}
