package dev.parley.server.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A raw parley/1 client for the store and account tests: a socket to 127.0.0.1, lines written as
 * given, and a reader thread that queues every line the server sends. The reader never stops
 * draining, so a test may pipeline thousands of lines without both sides blocking on full buffers.
 * The test thread sends and takes lines; the reader thread only queues them (and calls the optional
 * listener).
 */
public final class WireClient implements AutoCloseable {
  /** The longest a test waits for one line before it fails. */
  static final Duration LINE_WAIT = Duration.ofSeconds(30);

  private static final Object EOF = new Object();

  private final Socket socket;
  private final OutputStream out;
  private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean ended; // the server closed the connection (or it broke)

  private WireClient(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    Thread reader = new Thread(this::readLines, "wire-client-" + socket.getLocalPort());
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects to the server on 127.0.0.1:{@code port}; the C HELLO is left in the inbox. */
  public static WireClient connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    return new WireClient(socket);
  }

  /** Connects and signs in without accounts; returns the {@code C READY} line. */
  public static WireClient signedIn(int port, String name) throws IOException {
    WireClient c = connect(port);
    c.expectPrefix("C HELLO parley/1");
    c.send("C NICK " + name);
    String ready = c.expectPrefix("C READY " + name + " ");
    c.skipHistory();
    return c;
  }

  /**
   * Connects and signs in with a password; {@code kind} is NEW or EXISTING, the answer expected to
   * the C NICK. Returns the client after the replayed history.
   */
  public static WireClient signedIn(int port, String name, String password, String kind)
      throws IOException {
    WireClient c = connect(port);
    c.expectPrefix("C HELLO parley/1");
    c.send("C NICK " + name);
    c.expect("C PASSWORD " + kind);
    c.send("C PASS " + password);
    c.expectPrefix("C READY ");
    c.skipHistory();
    return c;
  }

  /**
   * Runs {@code listener} on the reader thread for every line from now on, before the line is
   * queued; for acting the moment a line arrives (killing a server mid-burst).
   */
  public void onLine(Consumer<String> listener) {
    listeners.add(listener);
  }

  /** Writes the lines, each ending in LF, in one write. */
  public void send(String... lines) throws IOException {
    send(List.of(lines));
  }

  public void send(List<String> lines) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      sb.append(line).append('\n');
    }
    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The next line; fails the test if none comes in time or the connection ended. */
  public String next() {
    Object line;
    try {
      line = inbox.poll(LINE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a line", e);
    }
    if (line == null) {
      fail("no line from the server within " + LINE_WAIT + "; received so far: " + tail());
    }
    if (line == EOF) {
      inbox.add(EOF); // stays ended for later calls
      fail("the server closed the connection; received so far: " + tail());
    }
    return (String) line;
  }

  /** The next line, which must be exactly {@code expected}. */
  public String expect(String expected) {
    String line = next();
    assertEquals(expected, line);
    return line;
  }

  /** The next line, which must start with {@code prefix}. */
  public String expectPrefix(String prefix) {
    String line = next();
    assertTrue(
        line.startsWith(prefix), () -> "expected '" + prefix + "...' but got '" + line + "'");
    return line;
  }

  /** Skips lines until one matches, and returns it (JOIN and LEAVE notices come at any time). */
  public String nextMatching(Predicate<String> wanted) {
    while (true) {
      String line = next();
      if (wanted.test(line)) {
        return line;
      }
    }
  }

  public String nextStartingWith(String prefix) {
    return nextMatching(line -> line.startsWith(prefix));
  }

  /** Reads {@code C HISTORY k} and the k lines after it; returns those k lines. */
  public List<String> readHistory() {
    String header = nextStartingWith("C HISTORY ");
    int k = Integer.parseInt(header.substring("C HISTORY ".length()));
    List<String> lines = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      lines.add(next());
    }
    return lines;
  }

  /** Sends {@code C CH n} and returns the data lines of the answer, oldest first. */
  public List<String> history(int n) throws IOException {
    send("C CH " + n);
    return readHistory();
  }

  private void skipHistory() {
    readHistory();
  }

  /** Sends a public message and returns the seq from its {@code C SENT PM}. */
  public long publicMessage(String text) throws IOException {
    send("C PM", "D " + text);
    String sent = nextStartingWith("C SENT PM ");
    return Long.parseLong(sent.split(" ")[3]);
  }

  /** Sends a direct message and returns the seq from its {@code C SENT DM}. */
  public long directMessage(String to, String text) throws IOException {
    send("C DM", "C " + to, "D " + text);
    String sent = nextStartingWith("C SENT DM ");
    return Long.parseLong(sent.split(" ")[3]);
  }

  /** Every line received so far, in order (including ones already taken). */
  public List<String> received() {
    return List.copyOf(received);
  }

  /** Whether a line matching {@code wanted} has arrived (taken or not). */
  public boolean hasReceived(Predicate<String> wanted) {
    for (String line : received) {
      if (wanted.test(line)) {
        return true;
      }
    }
    return false;
  }

  /** True once the server closed the connection. */
  public boolean ended() {
    return ended;
  }

  private String tail() {
    List<String> all = received();
    int from = Math.max(0, all.size() - 10);
    return (from > 0 ? "[... " + from + " more] " : "") + all.subList(from, all.size());
  }

  private void readLines() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        for (Consumer<String> listener : listeners) {
          listener.accept(line);
        }
        received.add(line);
        inbox.add(line);
      }
    } catch (IOException e) {
      // A reset or a close by the test: the connection is over either way.
    } finally {
      ended = true;
      inbox.add(EOF);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
