package dev.parley.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.Frame;
import dev.parley.server.TestCertificates;
import dev.parley.server.tls.TlsCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Input that waits inside the TLS layer, where no select reports it, is read all the same. A real
 * {@link Connection} and {@link TlsLayer} over a {@link FakeSocket}, with the client an {@link
 * SSLEngine} on the test thread, so that where the client's bytes are at each step (in the
 * "kernel", inside tls-channel, decoded) is fixed by the test and not by the scheduler. A select is
 * modelled by {@link FakeSocket#poll}: it reports only bytes still in the kernel.
 */
class TlsInputTest {
  private static final Connection.Limits LIMITS = Connection.Limits.of(4096, 1 << 20);
  private static final byte[] GREETING = line("C HELLO parley");

  private final List<String> lines = new ArrayList<>();
  private int pauseAfter = -1; // lines after which the handler pauses input (rate); -1: never
  private final ByteArrayOutputStream fromServer = new ByteArrayOutputStream();
  private EventLoop loop;
  private FakeSocket socket;
  private SSLEngine client;
  private final StringBuilder clientReceived = new StringBuilder(); // plain text, as received
  private ByteBuffer clientIn = ByteBuffer.allocate(0); // server bytes the client has not unwrapped

  @BeforeEach
  void open() throws Exception {
    TestCertificates.Pair pair = TestCertificates.localhost();
    loop = new EventLoop("test-loop"); // never started: this thread is its loop thread
    socket =
        new FakeSocket(
            loop,
            new InetSocketAddress("127.0.0.1", 1),
            LIMITS,
            connection -> new Recorder(),
            bytes -> fromServer.write(bytes.array(), bytes.arrayOffset(), bytes.remaining()),
            TlsLayer.factory(TlsCredentials.load(pair.pem()), Runnable::run, loop));
    socket.reading(true);
    client = pair.trustingClient().createSSLEngine("localhost", 0);
    client.setUseClientMode(true);
    client.beginHandshake();
  }

  @AfterEach
  void close() {
    loop.close();
  }

  private final class Recorder implements LineHandler {
    @Override
    public void onFrame(Frame frame) {
      lines.add(((Frame.Text) frame).text());
      if (lines.size() == pauseAfter) {
        connection().pause(Pause.RATE);
      }
    }

    @Override
    public void onEndOfInput() {}

    @Override
    public void onClose(String reason) {}
  }

  /**
   * The greeting waits in the queue during the handshake, so its flush drives the handshake too.
   * When the client's Finished and its first line both arrive after the select that found the
   * socket empty and before that flush, the write takes both from the socket: the line then waits
   * inside tls-channel, and the socket has nothing for a select to report (the sign-in timeout seen
   * with 100 bench clients on a loaded machine).
   */
  @Test
  void theFirstLineTakenFromTheSocketByTheWriteThatFinishesTheHandshakeIsRead() throws Exception {
    connection().enqueueReply(ByteBuffer.wrap(GREETING));
    socket.send(clientHandshake()); // ClientHello
    ByteArrayOutputStream finished = new ByteArrayOutputStream(); // held back until the line
    for (int i = 0; i < 10 && !clientHandshakeDone(); i++) {
      turn(); // the server answers with its flight, then waits for the client's Finished
      finished.writeBytes(clientHandshake());
    }
    assertTrue(clientHandshakeDone(), "the client has the server's whole flight");
    turn(); // whatever the server had left to do is done: it waits for the socket
    turn();

    // One iteration: the read finds the socket still empty; then the client's bytes arrive; then
    // the end-of-iteration flush, with the greeting, drives the handshake to its end.
    connection().onSelected(SelectionKey.OP_READ);
    socket.send(concat(finished.toByteArray(), wrap(line("C NICK ann"))));
    loop.iterate();
    unwrapFromServer();
    assertEquals("C HELLO parley\n", clientReceived.toString(), "the handshake is over");
    assertFalse(socket.kernelHoldsInput(), "the write took the line from the socket");
    assertEquals(List.of(), lines, "nothing read the line yet");

    for (int i = 0; i < 3 && lines.isEmpty(); i++) {
      turn();
    }
    assertEquals(List.of("C NICK ann"), lines);
  }

  /**
   * Input of more plain text than one read takes (the loop's 64 KiB buffer) stays partly inside
   * tls-channel once the socket is empty, and a pause in between leaves it there longer: every line
   * is read all the same, in order, with selects reporting only what the socket holds.
   */
  @Test
  void plainTextLeftInsideTheLayerAfterAFullReadAndAPauseIsRead() throws Exception {
    handshake();
    int count = 200; // 200 KB: several reads of the loop's buffer
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      input.writeBytes(line(i + " " + "x".repeat(1000)));
    }
    pauseAfter = 70; // in the second read
    socket.send(wrap(input.toByteArray()));
    for (int i = 0; i < 10 && lines.size() < pauseAfter; i++) {
      turn();
    }
    assertEquals(pauseAfter, lines.size());
    connection().resume(Pause.RATE);
    for (int i = 0; i < 20 && lines.size() < count; i++) {
      turn();
    }
    assertEquals(count, lines.size());
    for (int i = 0; i < count; i++) {
      assertTrue(lines.get(i).startsWith(i + " "), lines.get(i));
    }
  }

  /** The handshake, the client's Finished sent alone. */
  private void handshake() throws Exception {
    socket.send(clientHandshake());
    for (int i = 0; i < 10 && !clientHandshakeDone(); i++) {
      turn();
      socket.send(clientHandshake());
    }
    assertTrue(clientHandshakeDone());
  }

  private Connection connection() {
    return socket.connection();
  }

  /** One loop iteration with a select that reports what the kernel holds, never waiting. */
  private void turn() throws IOException {
    loop.schedule(0, () -> {}); // a due timer: select returns at once
    socket.poll();
    loop.iterate();
  }

  /**
   * Runs the client's side of the handshake on what the server sent, until it waits for more or is
   * over; answers what the client wrapped meanwhile, to send.
   */
  private byte[] clientHandshake() throws SSLException {
    takeFromServer();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      switch (client.getHandshakeStatus()) {
        case NEED_TASK -> runClientTasks();
        case NEED_WRAP -> out.writeBytes(wrap(new byte[0]));
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          if (unwrapOne().getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
            return out.toByteArray();
          }
        }
        default -> {
          return out.toByteArray(); // the handshake is over
        }
      }
    }
  }

  private boolean clientHandshakeDone() {
    return client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
  }

  /** Unwraps the application data the server sent, into {@link #clientReceived}. */
  private void unwrapFromServer() throws SSLException {
    takeFromServer();
    while (clientIn.hasRemaining()) {
      if (unwrapOne().getStatus() != SSLEngineResult.Status.OK) {
        return;
      }
      if (client.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
        runClientTasks();
      }
    }
  }

  private void takeFromServer() {
    byte[] received = fromServer.toByteArray();
    fromServer.reset();
    ByteBuffer joined = ByteBuffer.allocate(clientIn.remaining() + received.length);
    clientIn = joined.put(clientIn).put(received).flip();
  }

  private SSLEngineResult unwrapOne() throws SSLException {
    ByteBuffer plain = ByteBuffer.allocate(client.getSession().getApplicationBufferSize());
    SSLEngineResult result = client.unwrap(clientIn, plain);
    clientReceived.append(new String(plain.array(), 0, plain.position(), StandardCharsets.UTF_8));
    return result;
  }

  private void runClientTasks() {
    Runnable task;
    while ((task = client.getDelegatedTask()) != null) {
      task.run();
    }
  }

  private byte[] wrap(byte[] plain) throws SSLException {
    ByteBuffer src = ByteBuffer.wrap(plain);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    do {
      ByteBuffer record = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
      SSLEngineResult result = client.wrap(src, record);
      if (result.getStatus() != SSLEngineResult.Status.OK
          || result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
        throw new IllegalStateException("wrap: " + result);
      }
      out.write(record.array(), 0, record.position());
    } while (src.hasRemaining());
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteBuffer both = ByteBuffer.allocate(a.length + b.length);
    return both.put(a).put(b).array();
  }

  private static byte[] line(String text) {
    return (text + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
