package dev.parley.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

  /** A channel that takes at most {@code capacity} bytes per write and records what it took. */
  private static final class ThrottledChannel implements GatheringByteChannel {
    private final ByteArrayOutputStream taken = new ByteArrayOutputStream();
    private long capacity;
    private int writes;

    ThrottledChannel(long capacity) {
      this.capacity = capacity;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
      writes++;
      long written = 0;
      for (int i = offset; i < offset + length && written < capacity; i++) {
        ByteBuffer src = srcs[i];
        while (src.hasRemaining() && written < capacity) {
          taken.write(src.get());
          written++;
        }
      }
      return written;
    }

    @Override
    public long write(ByteBuffer[] srcs) {
      return write(srcs, 0, srcs.length);
    }

    @Override
    public int write(ByteBuffer src) {
      return (int) write(new ByteBuffer[] {src});
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}

    String taken() {
      return taken.toString(StandardCharsets.UTF_8);
    }
  }

  private static ByteBuffer line(String text) {
    return ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
  }

  @Test
  void pendingBytesCountsWhatWasAddedAndNotYetWritten() throws IOException {
    OutboundQueue queue = new OutboundQueue();
    assertTrue(queue.isEmpty());
    assertEquals(0, queue.pendingBytes());
    queue.add(line("abc")); // 4 bytes
    queue.add(line("defgh")); // 6 bytes
    assertFalse(queue.isEmpty());
    assertEquals(10, queue.pendingBytes());

    ThrottledChannel channel = new ThrottledChannel(Long.MAX_VALUE);
    assertEquals(10, queue.writeTo(channel, 1024));
    assertEquals(0, queue.pendingBytes());
    assertTrue(queue.isEmpty());
    assertEquals("abc\ndefgh\n", channel.taken());
  }

  @Test
  void aPartialWriteKeepsTheRestInOrderForTheNextFlush() throws IOException {
    OutboundQueue queue = new OutboundQueue();
    queue.add(line("first"));
    queue.add(line("second"));
    queue.add(line("third"));
    ThrottledChannel channel = new ThrottledChannel(8);

    assertEquals(8, queue.writeTo(channel, 1024));
    assertEquals(1, channel.writes, "a short write means the socket is full: stop");
    assertEquals(19 - 8, queue.pendingBytes());
    assertEquals("first\nse", channel.taken());

    assertEquals(8, queue.writeTo(channel, 1024));
    assertEquals(3, queue.pendingBytes());
    channel.capacity = Long.MAX_VALUE;
    assertEquals(3, queue.writeTo(channel, 1024));
    assertEquals("first\nsecond\nthird\n", channel.taken());
    assertTrue(queue.isEmpty());
  }

  @Test
  void aWriteTakingNothingLeavesEverythingQueued() throws IOException {
    OutboundQueue queue = new OutboundQueue();
    queue.add(line("waiting"));
    ThrottledChannel channel = new ThrottledChannel(0);
    assertEquals(0, queue.writeTo(channel, 1024));
    assertEquals(8, queue.pendingBytes());
    assertFalse(queue.isEmpty());
  }

  @Test
  void oneFlushStopsOnceItsByteCapIsReachedEvenIfTheChannelWouldTakeMore() throws IOException {
    OutboundQueue queue = new OutboundQueue();
    String hundred = "x".repeat(99);
    for (int i = 0; i < 10; i++) {
      queue.add(line(hundred)); // 100 bytes each
    }
    ThrottledChannel channel = new ThrottledChannel(Long.MAX_VALUE);

    long written = queue.writeTo(channel, 250);
    // The batch stops at the buffer that reaches the cap; that buffer is written whole.
    assertEquals(300, written);
    assertEquals(700, queue.pendingBytes());
    assertEquals(300, channel.taken().length());

    assertEquals(300, queue.writeTo(channel, 250));
    assertEquals(400, queue.pendingBytes());
  }

  @Test
  void moreBuffersThanOneGatheringWriteTakesAreWrittenInSeveralWrites() throws IOException {
    OutboundQueue queue = new OutboundQueue();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 600; i++) {
      queue.add(line("n" + i));
      expected.append("n").append(i).append('\n');
    }
    ThrottledChannel channel = new ThrottledChannel(Long.MAX_VALUE);
    assertEquals(expected.length(), queue.writeTo(channel, 1 << 20));
    assertEquals(expected.toString(), channel.taken());
    assertEquals(3, channel.writes, "256 buffers per gathering write");
    assertTrue(queue.isEmpty());
  }

  @Test
  void sharedBuffersAreWrittenThroughTheirOwnDuplicates() throws IOException {
    ByteBuffer shared = line("shared");
    OutboundQueue a = new OutboundQueue();
    OutboundQueue b = new OutboundQueue();
    a.add(shared.duplicate());
    b.add(shared.duplicate());
    ThrottledChannel ca = new ThrottledChannel(Long.MAX_VALUE);
    ThrottledChannel cb = new ThrottledChannel(3);
    a.writeTo(ca, 1024);
    b.writeTo(cb, 1024);
    assertEquals("shared\n", ca.taken());
    assertEquals("sha", cb.taken());
    assertEquals(0, shared.position(), "the shared original is never consumed");
    assertEquals(4, b.pendingBytes());
  }

  @Test
  void clearForgetsEverything() {
    OutboundQueue queue = new OutboundQueue();
    queue.add(line("one"));
    queue.add(line("two"));
    queue.clear();
    assertTrue(queue.isEmpty());
    assertEquals(0, queue.pendingBytes());
  }
}
