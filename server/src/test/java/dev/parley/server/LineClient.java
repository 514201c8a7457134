package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A raw parley/1 client for tests: a blocking socket to the server, a reader thread that puts every
 * line it receives into a queue, and assertions that wait for lines with a timeout. Lines are sent
 * exactly as given (an LF is added to each), so a test can send anything, malformed lines included.
 * One test thread at a time uses a client; only its reader thread touches the input stream.
 */
final class LineClient implements AutoCloseable {
  /** How long {@link #next()} waits for a line before the test fails. */
  static final Duration WAIT = Duration.ofSeconds(5);

  private static final int RECENT_KEPT = 40; // received lines quoted in a failure message
  private static final Object EOF = new Object(); // queued once the server closed the connection

  private final String label;
  private final Socket socket;
  private final OutputStream out;
  private final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private final ArrayDeque<String> recent = new ArrayDeque<>(); // guarded by itself
  private final Thread reader;
  private volatile boolean stopReading;
  private volatile IOException readFailure;

  private LineClient(String label, Socket socket) throws IOException {
    this.label = label;
    this.socket = socket;
    this.out = socket.getOutputStream();
    InputStream in = socket.getInputStream();
    this.reader = new Thread(() -> readLines(in), "line-client-" + label);
    this.reader.setDaemon(true);
    this.reader.start();
  }

  /** Connects to 127.0.0.1:{@code port}; {@code label} names the client in failure messages. */
  static LineClient connect(int port, String label) throws IOException {
    return connect(port, label, 0);
  }

  /**
   * Connects with a receive buffer of {@code receiveBufferBytes} (0 for the system default), set
   * before connecting so that the TCP window honours it; a small one makes a client that stops
   * reading back up quickly.
   */
  static LineClient connect(int port, String label, int receiveBufferBytes) throws IOException {
    Socket socket = new Socket();
    try {
      if (receiveBufferBytes > 0) {
        socket.setReceiveBufferSize(receiveBufferBytes);
      }
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
      return new LineClient(label, socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Connects and signs in as {@code name}; see {@link #signIn}. */
  static LineClient signedIn(int port, String name) throws IOException {
    LineClient client = connect(port, name);
    client.signIn(name);
    return client;
  }

  String label() {
    return label;
  }

  // ---- sending ----

  /** Sends every line (an LF is added to each) in one write, so the server sees them pipelined. */
  void send(String... lines) {
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      sb.append(line).append('\n');
    }
    sendRaw(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Sends these bytes as they are, in one write. */
  void sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(label + ": write failed", e);
    }
  }

  /** Half-closes: the server reads end of stream after what was sent, as after {@code nc}. */
  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  // ---- receiving ----

  /** The next line, waiting up to {@link #WAIT}; fails if none comes or the server closed. */
  String next() {
    Object item = poll();
    if (item == EOF) {
      fail(label + ": the server closed the connection" + receivedSoFar());
    }
    return (String) item;
  }

  /** Asserts that the next line is exactly {@code line}. */
  void expect(String line) {
    String actual = next();
    if (!line.equals(actual)) {
      assertEquals(line, actual, label + ": unexpected line" + receivedSoFar());
    }
  }

  /** Asserts the next lines are exactly these, in this order. */
  void expect(String... lines) {
    for (String line : lines) {
      expect(line);
    }
  }

  /** Asserts that the next line starts with {@code prefix} and returns it. */
  String expectStartsWith(String prefix) {
    String actual = next();
    assertTrue(
        actual.startsWith(prefix),
        label + ": expected a line starting with '" + prefix + "' but got '" + actual + "'");
    return actual;
  }

  /** Skips lines until one matches, and returns it; fails if none comes within the wait. */
  String nextMatching(Predicate<String> wanted) {
    while (true) {
      String line = next();
      if (wanted.test(line)) {
        return line;
      }
    }
  }

  /**
   * Proves that nothing was sent to this client before now: a ping's answer must be the very next
   * line, since the server answers in order.
   */
  void expectNothingElse() {
    String token = "quiet-" + System.nanoTime();
    send("C PING " + token);
    expect("C PONG " + token);
  }

  /** Asserts that the server closed the connection after any lines still unread are skipped. */
  void expectClosedAfter(List<String> skipped) {
    while (true) {
      Object item = poll();
      if (item == EOF) {
        return;
      }
      skipped.add((String) item);
    }
  }

  /** Asserts that the server's next move is to close the connection, with no line before it. */
  void expectClosed() {
    List<String> extra = new ArrayList<>();
    expectClosedAfter(extra);
    assertEquals(List.of(), extra, label + ": lines before the close");
  }

  /**
   * Reads {@code C HELLO}, signs in as {@code name}, reads {@code C READY} and the history that
   * follows it, and returns the history's data lines.
   */
  List<String> signIn(String name) {
    expectStartsWith("C HELLO parley/1");
    return nick(name);
  }

  /** Sends {@code C NICK}, expects {@code C READY name n} and the history; returns its lines. */
  List<String> nick(String name) {
    send("C NICK " + name);
    expectStartsWith("C READY " + name + " ");
    return history();
  }

  /** Reads {@code C HISTORY k} and the k data lines after it. */
  List<String> history() {
    String header = expectStartsWith("C HISTORY ");
    int count = Integer.parseInt(header.substring("C HISTORY ".length()));
    List<String> lines = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String line = next();
      assertTrue(line.startsWith("D "), label + ": history line is not data: " + line);
      lines.add(line);
    }
    return lines;
  }

  // ---- closing ----

  /** Stops taking lines from the socket, so the server's writes to this client back up. */
  void stopReading() {
    stopReading = true;
  }

  /** Resets the connection (SO_LINGER 0): the server sees an error, not an orderly close. */
  void closeAbruptly() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    try {
      reader.join(WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Object poll() {
    try {
      Object item = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (item == null) {
        fail(label + ": nothing received within " + WAIT + receivedSoFar());
      }
      return item;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(label + ": interrupted while waiting for a line", e);
    }
  }

  private String receivedSoFar() {
    StringBuilder sb = new StringBuilder("; the last lines received were:");
    synchronized (recent) {
      if (recent.isEmpty()) {
        sb.append(" (none)");
      }
      for (String line : recent) {
        sb.append("\n  ").append(abbreviate(line));
      }
    }
    if (readFailure != null) {
      sb.append("\n  (reading failed: ").append(readFailure).append(')');
    }
    return sb.toString();
  }

  private static String abbreviate(String line) {
    return line.length() <= 200 ? line : line.substring(0, 200) + "... (" + line.length() + ")";
  }

  private void readLines(InputStream in) {
    byte[] buffer = new byte[8192];
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      while (!stopReading) {
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            synchronized (recent) {
              recent.addLast(text);
              if (recent.size() > RECENT_KEPT) {
                recent.removeFirst();
              }
            }
            received.add(text);
          } else {
            line.write(buffer[i]);
          }
        }
      }
    } catch (IOException e) {
      readFailure = e; // a reset or our own close; the test sees it as the end of the stream
    }
    if (!stopReading) {
      received.add(EOF);
    }
  }
}
