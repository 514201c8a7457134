package dev.parley.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.Frame;
import dev.parley.protocol.Wire;
import dev.parley.server.LogCapture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An exception thrown while one connection is handled closes that connection and nothing else: the
 * loop, the listening socket and every other connection go on; an {@link Error} such as the {@link
 * NoClassDefFoundError} of a class load that ran out of file descriptors included. The handler here
 * echoes lines and throws on {@code boom} (or {@code unloadable}), wherever the loop calls it from
 * (a read, or input stashed while it paused). Only a {@link VirtualMachineError} ({@code fatal})
 * ends the loop, reported once.
 */
class HandlerExceptionTest {
  private EventLoop loop;
  private Acceptor acceptor;
  private LogCapture log;
  private final Queue<String> closes = new ConcurrentLinkedQueue<>();

  /** Echoes each line; throws on "boom"; pauses its input on "pause" until "resume" is due. */
  private final class ThrowingEcho implements LineHandler {
    private final Connection connection;

    ThrowingEcho(Connection connection) {
      this.connection = connection;
      connection.enqueue(Wire.encode("hello"));
    }

    @Override
    public void onFrame(Frame frame) {
      String text = frame instanceof Frame.Text t ? t.text() : frame.toString();
      if (text.equals("boom")) {
        throw new IllegalStateException("injected failure");
      }
      if (text.equals("unloadable")) {
        throw new NoClassDefFoundError("injected failure: Too many open files");
      }
      if (text.equals("fatal")) {
        throw new OutOfMemoryError("injected fatal error");
      }
      if (text.equals("pause")) {
        // Input stops; the lines after this one wait in the connection's stash until resumed.
        connection.pause(Pause.RATE);
        connection.schedule(TimeUnit.MILLISECONDS.toNanos(50), () -> connection.resume(Pause.RATE));
      }
      connection.enqueueReply(Wire.encode("echo " + text));
    }

    @Override
    public void onEndOfInput() {
      connection.closeAfterFlush("end of input");
    }

    @Override
    public void onClose(String reason) {
      closes.add(reason);
    }
  }

  @BeforeEach
  void start() throws IOException {
    log = LogCapture.attach();
    loop = new EventLoop("test-loop");
    acceptor = LoopbackAcceptor.open(loop, ThrowingEcho::new);
    loop.start();
  }

  @AfterEach
  void stop() {
    loop.close();
    log.close();
  }

  @Test
  void aHandlerThatThrowsWhileReadingClosesItsConnectionOnly() throws Exception {
    try (Peer good = new Peer();
        Peer bad = new Peer()) {
      good.expect("hello");
      bad.expect("hello");
      good.send("one");
      good.expect("echo one");

      bad.send("before", "boom", "after");
      // The connection is closed at once: what was queued for it may be dropped with it (its
      // state is in doubt), and the line after the failure is never handled.
      List<String> last = bad.linesUntilClosed();
      assertTrue(last.isEmpty() || last.equals(List.of("echo before")), "lines: " + last);

      assertTheOthersGoOn(good);
    }
    assertEquals(List.of("internal error"), List.copyOf(closes).subList(0, 1));
    assertOnlyTheFailureWasLogged();
  }

  @Test
  void aHandlerThatThrowsAnErrorClosesItsConnectionOnly() throws Exception {
    try (Peer good = new Peer();
        Peer bad = new Peer()) {
      good.expect("hello");
      bad.expect("hello");
      bad.send("unloadable", "after");
      assertEquals(List.of(), bad.linesUntilClosed());

      assertTheOthersGoOn(good);
    }
    assertEquals(List.of("internal error"), List.copyOf(closes).subList(0, 1));
    assertOnlyTheFailureWasLogged();
  }

  @Test
  void aVirtualMachineErrorEndsTheLoopWithOneErrorAndIsReported() throws Exception {
    try (Peer good = new Peer();
        Peer bad = new Peer()) {
      good.expect("hello");
      bad.expect("hello");
      bad.send("fatal");

      assertTrue(loop.awaitTermination(10, TimeUnit.SECONDS), "the loop went on");
      assertTrue(loop.fatalError() instanceof OutOfMemoryError, "reported: " + loop.fatalError());
      assertEquals(List.of(), good.linesUntilClosed()); // every connection is closed
      List<String> events = log.warningsAndErrors();
      assertEquals(1, events.size(), "logged: " + events);
      assertTrue(events.get(0).startsWith("ERROR "), events.get(0));
      assertTrue(events.get(0).contains("injected fatal error"), events.get(0));
    }
  }

  @Test
  void aHandlerThatThrowsOnStashedInputClosesItsConnectionOnly() throws Exception {
    try (Peer good = new Peer();
        Peer bad = new Peer()) {
      good.expect("hello");
      bad.expect("hello");
      bad.send("pause", "boom", "after"); // "boom" is decoded from the stash after the pause
      bad.expect("echo pause"); // flushed before the pause ended
      assertEquals(List.of(), bad.linesUntilClosed());

      good.send("still here");
      good.expect("echo still here");
      assertConnections(1);
    }
    assertOnlyTheFailureWasLogged();
  }

  /** {@code good} is still answered, the only connection left, and a new one is accepted. */
  private void assertTheOthersGoOn(Peer good) throws IOException {
    good.send("still chatting");
    good.expect("echo still chatting");
    assertConnections(1);
    try (Peer late = new Peer()) { // the listening socket still accepts
      late.expect("hello");
      late.send("too");
      late.expect("echo too");
    }
  }

  private void assertConnections(int n) {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              CompletableFuture<Integer> open = new CompletableFuture<>();
              loop.execute(() -> open.complete(acceptor.openConnections()));
              return open.get(5, TimeUnit.SECONDS) == n;
            });
  }

  /** One WARN with the injected exception, from the connection; no ERROR from the loop. */
  private void assertOnlyTheFailureWasLogged() {
    List<String> events = log.warningsAndErrors();
    assertEquals(1, events.size(), "logged: " + events);
    assertTrue(events.get(0).startsWith("WARN "), events.get(0));
    assertTrue(events.get(0).contains("injected failure"), events.get(0));
  }

  /** A blocking loopback client for this test: line in, line out. */
  private final class Peer implements AutoCloseable {
    private final Socket socket = new Socket();
    private final BufferedReader in;
    private final OutputStream out;

    Peer() throws IOException {
      socket.connect(acceptor.localAddress(), 5000);
      socket.setSoTimeout(5000);
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = socket.getOutputStream();
    }

    void send(String... lines) throws IOException {
      out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    void expect(String line) throws IOException {
      assertEquals(line, in.readLine());
    }

    /** The lines that arrive before the server closes the connection. */
    List<String> linesUntilClosed() {
      List<String> lines = new ArrayList<>();
      try {
        String line;
        while ((line = in.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        // a reset is a close too
      }
      return lines;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
