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
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An accept that fails (as it does when the process is out of file descriptors) pauses accepting
 * instead of spinning the loop on a listening socket that stays ready: a handful of attempts and
 * one log line, however long it lasts, then the waiting client is accepted once accepting works
 * again. The accept call is a fake that fails on demand around the real one.
 */
class AcceptFailureTest {
  /** Long against the loop's iterations below, so that no pause ends while they are counted. */
  private static final long PAUSE_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicInteger failedAccepts = new AtomicInteger();
  private EventLoop loop;
  private Acceptor acceptor;
  private LogCapture log;

  /** Greets each connection; nothing else. */
  private static final class Greeter implements LineHandler {
    Greeter(Connection connection) {
      connection.enqueue(Wire.encode("hello"));
    }

    @Override
    public void onFrame(Frame frame) {}

    @Override
    public void onEndOfInput() {}

    @Override
    public void onClose(String reason) {}
  }

  @BeforeEach
  void start() throws IOException {
    log = LogCapture.attach();
    loop = new EventLoop("test-loop");
    acceptor =
        LoopbackAcceptor.open(
            loop,
            Greeter::new,
            server -> {
              if (failing.get()) {
                failedAccepts.incrementAndGet();
                throw new IOException("Too many open files");
              }
              return server.accept();
            },
            PAUSE_NANOS);
    loop.start();
  }

  @AfterEach
  void stop() {
    loop.close();
    log.close();
  }

  private <T> T onLoop(Supplier<T> query) throws Exception {
    CompletableFuture<T> answer = new CompletableFuture<>();
    loop.execute(() -> answer.complete(query.get()));
    return answer.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFailingAcceptPausesAcceptingLogsOnceAndTheClientIsAcceptedWhenItWorksAgain()
      throws Exception {
    failing.set(true);
    try (Socket client = new Socket()) {
      client.connect(acceptor.localAddress());
      await().atMost(Duration.ofSeconds(10)).until(() -> failedAccepts.get() >= 1);
      assertTrue(onLoop(acceptor::acceptingPaused), "accepting is not paused after a failure");
      // The listening socket is still ready (the client waits in the backlog): a loop that kept
      // OP_ACCEPT on would try, and fail, on every one of these iterations.
      for (int i = 0; i < 50; i++) {
        onLoop(() -> null);
      }
      int failures = failedAccepts.get();
      assertTrue(failures <= 2, failures + " failed accepts in 50 loop iterations");

      failing.set(false); // descriptors are free again; the pause ends and the client gets in
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("hello", in.readLine());
      assertEquals(1, (int) onLoop(acceptor::openConnections));
      assertTrue(!onLoop(acceptor::acceptingPaused), "accepting is still paused");
    }
    List<String> logged = log.warningsAndErrors();
    assertEquals(1, logged.size(), "one line for the whole spell: " + logged);
    assertTrue(
        logged.get(0).startsWith("WARN dev.parley.net.Acceptor")
            && logged.get(0).contains("Too many open files")
            && !logged.get(0).contains("(java.io.IOException"),
        "a one-line warning without a stack trace: " + logged);
  }
}
