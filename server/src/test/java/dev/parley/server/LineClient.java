package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A raw parley/1 client for tests: a blocking socket to the server, a reader thread that puts every
 * line it receives into a queue, and assertions that wait for lines with a timeout. Lines are sent
 * exactly as given (an LF is added to each), so a test can send anything, malformed lines included.
 * The reader never stops draining (unless told to), so a test may pipeline thousands of lines
 * without both sides blocking on full buffers. One test thread at a time uses a client; only its
 * reader thread touches the input stream.
 */
public final class LineClient implements AutoCloseable {
  /** How long {@link #next()} waits for a line before the test fails. */
  // Generous: a line normally comes in milliseconds, but a loaded CI machine can take seconds to
  // fsync a store commit (an assumption: one 10 s wait ran out in a full run, cause not found). A
  // wait that runs out is a failure, so this only bounds how long a failing test takes.
  static final Duration WAIT = Duration.ofSeconds(30);

  private static final int QUOTED = 40; // received lines quoted in a failure message
  private static final Object EOF = new Object(); // queued once the server closed the connection

  private final String label;
  private final Socket socket; // the one read and written: over TLS, the TLS socket
  private final Socket raw; // the TCP socket under it (the same one without TLS)
  private final OutputStream out;
  private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final List<String> received = new ArrayList<>(); // guarded by itself
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final InputStream in;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream(); // a line read in part
  private volatile Thread reader;
  private volatile boolean stopReading;
  private boolean readerParked; // the reader thread saw stopReading and ended; guarded by this
  private volatile boolean ended;
  private volatile IOException readFailure;

  private LineClient(String label, Socket socket, Socket raw) throws IOException {
    this.label = label;
    this.socket = socket;
    this.raw = raw;
    this.out = socket.getOutputStream();
    this.in = socket.getInputStream();
    startReader();
  }

  private void startReader() {
    reader = new Thread(this::readLines, "line-client-" + label);
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects to 127.0.0.1:{@code port}; {@code label} names the client in failure messages. */
  public static LineClient connect(int port, String label) throws IOException {
    return connect(port, label, 0);
  }

  /**
   * Connects with a receive buffer of {@code receiveBufferBytes} (0 for the system default), set
   * before connecting so that the TCP window honours it; a small one makes a client that stops
   * reading back up quickly.
   */
  public static LineClient connect(int port, String label, int receiveBufferBytes)
      throws IOException {
    return connect(port, label, receiveBufferBytes, null);
  }

  /** As above, over TLS with {@code tls} (verifying the name localhost) unless it is null. */
  public static LineClient connect(int port, String label, int receiveBufferBytes, SSLContext tls)
      throws IOException {
    Socket raw = tcp(port, receiveBufferBytes);
    try {
      return new LineClient(label, tls == null ? raw : secure(raw, port, tls), raw);
    } catch (IOException e) {
      raw.close();
      throw e;
    }
  }

  /**
   * A browser user's connection: the upgrade to WebSocket on the web port at {@code port}, then
   * lines as text messages (see {@link WebSocketClientSocket}).
   */
  public static LineClient connectWebSocket(int port, String label, int receiveBufferBytes)
      throws IOException {
    Socket webSocket = connectWebSocketSocket(port, receiveBufferBytes);
    return new LineClient(label, webSocket, ((WebSocketClientSocket) webSocket).raw());
  }

  /** As above, the socket itself, for tests that read and write it themselves. */
  public static Socket connectWebSocketSocket(int port, int receiveBufferBytes) throws IOException {
    Socket raw = tcp(port, receiveBufferBytes);
    try {
      return new WebSocketClientSocket(raw);
    } catch (IOException e) {
      raw.close();
      throw e;
    }
  }

  /**
   * A socket connected to 127.0.0.1:{@code port}, over TLS when {@code tls} is not null; for tests
   * that read and write it themselves.
   */
  public static Socket socket(int port, int receiveBufferBytes, SSLContext tls) throws IOException {
    Socket raw = tcp(port, receiveBufferBytes);
    try {
      return tls == null ? raw : secure(raw, port, tls);
    } catch (IOException e) {
      raw.close();
      throw e;
    }
  }

  /**
   * Connects from the local address {@code from}: on Linux all of 127.0.0.0/8 is loopback, so tests
   * can be many client addresses at once.
   */
  public static LineClient connectFrom(int port, String label, InetAddress from)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.bind(new InetSocketAddress(from, 0));
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
      return new LineClient(label, socket, socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static Socket tcp(int port, int receiveBufferBytes) throws IOException {
    Socket socket = new Socket();
    try {
      if (receiveBufferBytes > 0) {
        socket.setReceiveBufferSize(receiveBufferBytes);
      }
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** TLS over {@code raw}, verifying the host name localhost as a client must. */
  private static Socket secure(Socket raw, int port, SSLContext tls) throws IOException {
    SSLSocket secure =
        (SSLSocket) tls.getSocketFactory().createSocket(raw, "localhost", port, true);
    SSLParameters parameters = secure.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    secure.setSSLParameters(parameters);
    return secure;
  }

  /** Connects and signs in as {@code name}; see {@link #signIn}. */
  public static LineClient signedIn(int port, String name) throws IOException {
    LineClient client = connect(port, name);
    client.signIn(name);
    return client;
  }

  public String label() {
    return label;
  }

  /**
   * Runs {@code listener} on the reader thread for every line from now on, before the line is
   * queued; for acting the moment a line arrives (killing a server mid-burst, say).
   */
  public void onLine(Consumer<String> listener) {
    listeners.add(listener);
  }

  // ---- sending ----

  /** Sends every line (an LF is added to each) in one write, so the server sees them pipelined. */
  public void send(String... lines) {
    send(List.of(lines));
  }

  public void send(List<String> lines) {
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      sb.append(line).append('\n');
    }
    sendRaw(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Sends these bytes as they are, in one write. */
  public void sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(label + ": write failed", e);
    }
  }

  /** Half-closes: the server reads end of stream after what was sent, as after {@code nc}. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  // ---- receiving ----

  /** The next line, waiting up to {@link #WAIT}; fails if none comes or the server closed. */
  public String next() {
    Object item = poll();
    if (item == EOF) {
      inbox.add(EOF); // later calls fail at once too, instead of after a wait
      fail(label + ": the server closed the connection" + receivedSoFar());
    }
    return (String) item;
  }

  /** Asserts that the next line is exactly {@code line}. */
  public void expect(String line) {
    String actual = next();
    if (!line.equals(actual)) {
      assertEquals(line, actual, label + ": unexpected line" + receivedSoFar());
    }
  }

  /** Asserts the next lines are exactly these, in this order. */
  public void expect(String... lines) {
    for (String line : lines) {
      expect(line);
    }
  }

  /** Asserts that the next line starts with {@code prefix} and returns it. */
  public String expectStartsWith(String prefix) {
    String actual = next();
    assertTrue(
        actual.startsWith(prefix),
        label + ": expected a line starting with '" + prefix + "' but got '" + actual + "'");
    return actual;
  }

  /** Skips lines until one matches, and returns it; fails if none comes within the wait. */
  public String nextMatching(Predicate<String> wanted) {
    while (true) {
      String line = next();
      if (wanted.test(line)) {
        return line;
      }
    }
  }

  /** Skips lines until one starts with {@code prefix} (notices come at any time), returns it. */
  public String nextStartingWith(String prefix) {
    return nextMatching(line -> line.startsWith(prefix));
  }

  /**
   * Proves that nothing was sent to this client before now: a ping's answer must be the very next
   * line, since the server answers in order.
   */
  public void expectNothingElse() {
    String token = "quiet-" + System.nanoTime();
    send("C PING " + token);
    expect("C PONG " + token);
  }

  /** Asserts that the server closed the connection after any lines still unread are skipped. */
  public void expectClosedAfter(List<String> skipped) {
    while (true) {
      Object item = poll();
      if (item == EOF) {
        return;
      }
      skipped.add((String) item);
    }
  }

  /** Asserts that the server's next move is to close the connection, with no line before it. */
  public void expectClosed() {
    List<String> extra = new ArrayList<>();
    expectClosedAfter(extra);
    assertEquals(List.of(), extra, label + ": lines before the close");
  }

  /** Every line received so far, in order, including those already taken. */
  public List<String> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** Whether a line matching {@code wanted} has arrived, taken or not. */
  public boolean hasReceived(Predicate<String> wanted) {
    return received().stream().anyMatch(wanted);
  }

  /** True once the server closed the connection (or it broke). */
  public boolean ended() {
    return ended;
  }

  /** The failure that ended reading, or null for an orderly end (over TLS: a close_notify). */
  public IOException readFailure() {
    return readFailure;
  }

  // ---- the conversation ----

  /**
   * Reads {@code C HELLO}, signs in as {@code name}, reads {@code C READY} and the history that
   * follows it, and returns the history's data lines.
   */
  public List<String> signIn(String name) {
    expectStartsWith("C HELLO parley/1");
    return nick(name);
  }

  /**
   * Signs in with a password, where {@code kind} (NEW or EXISTING) is the password the server asks
   * for; returns the history's data lines. The name in {@code C READY} is not checked: an account
   * keeps the spelling it was registered with.
   */
  public List<String> signIn(String name, String password, String kind) {
    expectStartsWith("C HELLO parley/1");
    send("C NICK " + name);
    expect("C PASSWORD " + kind);
    send("C PASS " + password);
    expectStartsWith("C READY ");
    return history();
  }

  /** Sends {@code C NICK}, expects {@code C READY name n} and the history; returns its lines. */
  public List<String> nick(String name) {
    send("C NICK " + name);
    expectStartsWith("C READY " + name + " ");
    return history();
  }

  /** Reads {@code C HISTORY k}, which must be the next line, and the k data lines after it. */
  public List<String> history() {
    return historyAfter(expectStartsWith("C HISTORY "));
  }

  /**
   * Sends {@code C CH n} and returns the data lines of the answer, oldest first. Lines that come
   * before the answer (messages, notices) are skipped, for tests that do not read every delivery.
   */
  public List<String> chatHistory(int n) {
    send("C CH " + n);
    return nextHistory();
  }

  /** The next {@code C HISTORY} answer's data lines, skipping the lines before it. */
  public List<String> nextHistory() {
    return historyAfter(nextStartingWith("C HISTORY "));
  }

  private List<String> historyAfter(String header) {
    int count = Integer.parseInt(header.substring("C HISTORY ".length()));
    List<String> lines = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String line = next();
      assertTrue(line.startsWith("D "), label + ": history line is not data: " + line);
      lines.add(line);
    }
    return lines;
  }

  /** Sends a public message and returns the seq from its {@code C SENT PM}. */
  public long publicMessage(String text) {
    send("C PM", "D " + text);
    return Long.parseLong(nextStartingWith("C SENT PM ").split(" ")[3]);
  }

  /** Sends a direct message and returns the seq from its {@code C SENT DM}. */
  public long directMessage(String to, String text) {
    send("C DM", "C " + to, "D " + text);
    return Long.parseLong(nextStartingWith("C SENT DM ").split(" ")[3]);
  }

  // ---- closing ----

  /** Stops taking lines from the socket, so the server's writes to this client back up. */
  public void stopReading() {
    stopReading = true;
  }

  /** Takes lines from the socket again after {@link #stopReading}, from where it stopped. */
  public synchronized void resumeReading() {
    stopReading = false;
    if (readerParked) {
      readerParked = false;
      startReader();
    }
  }

  /** Resets the connection (SO_LINGER 0): the server sees an error, not an orderly close. */
  public void closeAbruptly() throws IOException {
    raw.setSoLinger(true, 0);
    raw.close();
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
      Object item = inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
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
    List<String> all = received();
    StringBuilder sb = new StringBuilder("; the last lines received were:");
    if (all.isEmpty()) {
      sb.append(" (none)");
    }
    for (String line : all.subList(Math.max(0, all.size() - QUOTED), all.size())) {
      sb.append("\n  ").append(abbreviate(line));
    }
    if (readFailure != null) {
      sb.append("\n  (reading failed: ").append(readFailure).append(')');
    }
    return sb.toString();
  }

  private static String abbreviate(String line) {
    return line.length() <= 200 ? line : line.substring(0, 200) + "... (" + line.length() + ")";
  }

  private void readLines() {
    byte[] buffer = new byte[8192];
    ByteArrayOutputStream line = partial;
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
            for (Consumer<String> listener : listeners) {
              listener.accept(text);
            }
            synchronized (received) {
              received.add(text);
            }
            inbox.add(text);
          } else {
            line.write(buffer[i]);
          }
        }
      }
    } catch (IOException e) {
      readFailure = e; // a reset or our own close; the test sees it as the end of the stream
    }
    synchronized (this) {
      if (stopReading) {
        readerParked = true; // resumeReading starts another reader
        return;
      }
    }
    ended = true;
    inbox.add(EOF);
  }
}
