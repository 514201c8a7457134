package dev.parley.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted stand-in for the parley server, for the client's own tests: one connection on
 * 127.0.0.1 at a free port. The test thread says what the server sends ({@link #send}) and checks
 * what it receives ({@link #nextLine}); a reader thread collects the client's lines meanwhile.
 */
final class FakeServer implements AutoCloseable {
  /** What {@link #nextLine} returns once the client has closed the connection. */
  static final String CLOSED = "<closed>";

  private static final long LINE_WAIT_SECONDS = 5;

  private final ServerSocketChannel listener;
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private SocketChannel connection;

  FakeServer() throws IOException {
    listener = ServerSocketChannel.open();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  int port() throws IOException {
    return ((InetSocketAddress) listener.getLocalAddress()).getPort();
  }

  /**
   * Accepts the client's connection and starts collecting what it sends; again after a reconnect,
   * when the lines of the new connection follow the {@link #CLOSED} of the old one.
   */
  void accept() throws IOException {
    SocketChannel accepted = listener.accept();
    connection = accepted;
    Thread reader = new Thread(() -> collect(accepted), "fake-server-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void collect(SocketChannel connection) {
    // Not closed here: closing the stream would close the channel under the test's feet.
    BufferedReader in =
        new BufferedReader(
            new InputStreamReader(Channels.newInputStream(connection), StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = in.readLine()) != null) {
        received.add(line);
      }
    } catch (IOException e) {
      // the test closed the connection, or the client reset it: either way the stream ends here
    }
    received.add(CLOSED);
  }

  /** Sends each line with an LF, in one write. */
  void send(String... lines) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      sb.append(line).append('\n');
    }
    ByteBuffer bytes = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      connection.write(bytes);
    }
  }

  /** The next line the client sent, waiting up to 5 s for it; {@link #CLOSED} after its end. */
  String nextLine() throws InterruptedException {
    String line = received.poll(LINE_WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(line, "the client sent nothing within " + LINE_WAIT_SECONDS + " s");
    return line;
  }

  /** Asserts that the client's next lines are exactly these, in this order. */
  void expect(String... lines) throws InterruptedException {
    for (String line : lines) {
      assertEquals(line, nextLine());
    }
  }

  /** Expects the client's next line to be {@code line}, and answers it with {@code replies}. */
  void replyTo(String line, String... replies) throws IOException, InterruptedException {
    expect(line);
    send(replies);
  }

  /** Asserts that the client sends nothing for a while (300 ms): it is waiting for something. */
  void expectQuiet() {
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(this::nothingReceived);
  }

  /** Expects the client's {@code C EX} and answers as the server does: {@code C BYE}, the close. */
  void expectExitAndSayBye() throws Exception {
    expect("C EX");
    send("C BYE bye");
    closeConnection();
  }

  /** True while nothing the client sent is waiting to be read by the test. */
  boolean nothingReceived() {
    return received.isEmpty();
  }

  /** Closes the connection as a server does after C BYE. */
  void closeConnection() throws IOException {
    connection.close();
  }

  @Override
  public void close() throws IOException {
    if (connection != null) {
      connection.close();
    }
    listener.close();
  }
}
