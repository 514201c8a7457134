package dev.parley.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.Frame;
import dev.parley.protocol.Wire;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop's own promises, one iteration at a time: the test thread drives {@code iterate()} on a
 * loop whose thread never starts, as Netty's and Jetty's loop tests do.
 */
class EventLoopTest {
  private final EventLoop loop = newLoop();
  private final List<String> events = new ArrayList<>();

  private static EventLoop newLoop() {
    try {
      return new EventLoop("test-loop");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void close() {
    loop.close();
  }

  @Test
  void timersRunInDeadlineOrderTiesInScheduleOrderAndCancelledOnesNever() {
    long ms = TimeUnit.MILLISECONDS.toNanos(1);
    loop.schedule(30 * ms, () -> events.add("late"));
    loop.schedule(10 * ms, () -> events.add("first of two"));
    EventLoop.Timer cancelled = loop.schedule(5 * ms, () -> events.add("cancelled"));
    loop.schedule(10 * ms, () -> events.add("second of two"));
    cancelled.cancel();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              loop.iterate();
              return events.size() >= 3;
            });
    assertEquals(List.of("first of two", "second of two", "late"), events);
  }

  @Test
  void manySubmissionsFromAnotherThreadWakeTheSelectorOnce() throws Exception {
    Thread other =
        new Thread(
            () -> {
              for (int i = 0; i < 100; i++) {
                loop.execute(() -> events.add("task"));
              }
            });
    other.start();
    other.join();
    assertEquals(1, loop.wakeups(), "one wakeup for the whole batch");
    loop.iterate(); // returns at once: the wakeup is pending
    assertEquals(100, events.size());
    loop.execute(() -> events.add("next batch"));
    assertEquals(2, loop.wakeups(), "the next batch after an iteration wakes it again");
  }

  @Test
  void tasksRunAtMostTheCapPerIterationAndTheRestNext() throws Exception {
    int submitted = EventLoop.MAX_TASKS_PER_ITERATION + 10;
    for (int i = 0; i < submitted; i++) {
      loop.execute(() -> events.add("task"));
    }
    loop.iterate();
    assertEquals(EventLoop.MAX_TASKS_PER_ITERATION, events.size());
    loop.iterate();
    assertEquals(submitted, events.size());
  }

  /**
   * A close happens before the flush of the same iteration: what the closing handler says to others
   * (a LEAVE) leaves in that iteration, not after the next select.
   */
  @Test
  void linesQueuedByACloseAreFlushedInTheSameIteration() throws Exception {
    List<String> received = new ArrayList<>();
    Connection.Limits limits = Connection.Limits.of(1024, 1 << 16);
    FakeSocket other =
        new FakeSocket(
            loop,
            new InetSocketAddress("127.0.0.1", 1),
            limits,
            c -> handler(c, null),
            bytes -> received.add(StandardCharsets.UTF_8.decode(bytes).toString()));
    other.reading(true);
    FakeSocket leaving =
        new FakeSocket(
            loop,
            new InetSocketAddress("127.0.0.1", 2),
            limits,
            c -> handler(c, other.connection()),
            bytes -> {});
    leaving.connection().closeLater("gone");
    loop.iterate();
    assertTrue(leaving.isClosed());
    assertEquals(List.of("LEAVE\n"), received);
  }

  /** Tells {@code others} (if any) when its connection closes. */
  private static ConnectionHandler handler(Connection self, Connection other) {
    return new LineHandler() {
      @Override
      public void onFrame(Frame frame) {}

      @Override
      public void onEndOfInput() {}

      @Override
      public void onClose(String reason) {
        if (other != null) {
          other.enqueue(ByteBuffer.wrap(Wire.bytes("LEAVE")));
        }
      }
    };
  }
}
