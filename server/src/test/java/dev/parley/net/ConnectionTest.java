package dev.parley.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reading on and off by explicit reasons: the queue crossing its high-water mark pauses input, and
 * draining to the low one resumes it and says {@code onWritable}, once; bytes read meanwhile wait
 * and are decoded in order. As Netty's {@code ChannelOutboundBufferTest.testWritability}.
 */
class ConnectionTest {
  private static final Connection.Limits LIMITS = new Connection.Limits(64, 100, 200, 1000);
  private static final int LINE = 50; // bytes of each delivered line

  private final EventLoop loop = newLoop();
  private final List<String> events = new ArrayList<>();
  private final FakeSocket socket = open();

  private static EventLoop newLoop() {
    try {
      return new EventLoop("test-loop");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private FakeSocket open() {
    try {
      return new FakeSocket(
          loop, new InetSocketAddress("127.0.0.1", 1), LIMITS, this::handler, bytes -> {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterEach
  void close() {
    loop.close();
  }

  private Connection connection() {
    return socket.connection();
  }

  private static ByteBuffer line(int bytes) {
    byte[] b = new byte[bytes];
    java.util.Arrays.fill(b, (byte) 'x');
    b[bytes - 1] = '\n';
    return ByteBuffer.wrap(b).asReadOnlyBuffer();
  }

  @Test
  void aboveHighWaterInputPausesAndAtLowWaterItResumesWithOneOnWritable() throws Exception {
    for (int i = 0; i < 4; i++) {
      connection().enqueue(line(LINE)); // 200 bytes: at high water, not above it
    }
    assertTrue(connection().isWritable());
    connection().enqueue(line(LINE)); // 250
    assertFalse(connection().isWritable());
    assertEquals(EnumSet.of(Pause.OUTPUT_HIGH_WATER), connection().pauses());

    socket.send("hello\n".getBytes());
    loop.iterate(); // the flush writes nothing: the client does not read
    socket.poll();
    assertEquals(List.of(), events, "nothing is read while paused");

    socket.readUpTo(100); // 150 left: below high water but above low water
    socket.poll(); // writable
    assertEquals(List.of(), events, "still paused between the marks");
    assertFalse(connection().isWritable());

    socket.readUpTo(50); // 100 left: at low water
    socket.poll(); // writable: the flush that reaches low water resumes
    assertTrue(connection().isWritable());
    assertEquals(EnumSet.noneOf(Pause.class), connection().pauses());
    assertEquals(List.of(), events, "told in the next iteration, never in the middle of a flush");
    loop.iterate();
    assertEquals(List.of("writable"), events);

    socket.poll(); // readable: the line that waited in the kernel
    assertEquals(List.of("writable", "hello"), events);
  }

  @Test
  void pipelinedLinesStopBetweenLinesAtHighWaterAndTheRestIsDecodedAfterTheDrain()
      throws Exception {
    socket.send("a\nb\nc\n".getBytes()); // each line's reply is 150 bytes
    socket.poll();
    assertEquals(List.of("a", "b"), events, "c waits: the replies to a and b passed high water");
    socket.reading(true);
    loop.iterate(); // flushes all and resumes; the handler hears of it in the next iteration
    assertEquals(List.of("a", "b"), events);
    loop.iterate();
    assertEquals(List.of("a", "b", "writable", "c"), events);
  }

  @Test
  void eachReasonHoldsOnItsOwnAndReadingResumesOnlyWhenNoneIsLeft() throws Exception {
    connection().pause(Pause.RATE);
    connection().pause(Pause.PASSWORD_CHECK);
    connection().pause(Pause.RATE); // a repeat changes nothing
    assertEquals(0, interestOps() & SelectionKey.OP_READ);
    connection().resume(Pause.RATE);
    assertEquals(0, interestOps() & SelectionKey.OP_READ, "the password check still holds");
    connection().resume(Pause.PASSWORD_CHECK);
    assertEquals(SelectionKey.OP_READ, interestOps() & SelectionKey.OP_READ);
  }

  @Test
  void closeAfterFlushWritesWhatIsQueuedThenCloses() throws Exception {
    connection().enqueue(line(LINE));
    connection().closeAfterFlush("bye");
    loop.iterate();
    assertFalse(socket.isClosed(), "waits for the client to take its bytes");
    socket.reading(true);
    socket.poll();
    loop.iterate();
    assertTrue(socket.isClosed());
    assertEquals(List.of("closed: bye"), events);
  }

  private int interestOps() {
    return socket.interestOps();
  }

  private ConnectionHandler handler(Connection c) {
    return new LineHandler() {
      @Override
      public void onFrame(Frame frame) {
        events.add(((Frame.Text) frame).text());
        c.enqueueReply(line(150));
      }

      @Override
      public void onEndOfInput() {}

      @Override
      public void onWritable() {
        events.add("writable");
      }

      @Override
      public void onClose(String reason) {
        events.add("closed: " + reason);
      }
    };
  }
}
