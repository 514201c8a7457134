package dev.parley.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundQueueTest {
  private final EntryChunks chunks = new EntryChunks();

  /** A channel that takes at most {@code capacity} bytes per write and records what it took. */
  private static final class ThrottledChannel implements WritableByteChannel {
    private final ByteArrayOutputStream taken = new ByteArrayOutputStream();
    private int capacity;
    private int writes;

    ThrottledChannel(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public int write(ByteBuffer src) {
      writes++;
      int n = Math.min(capacity, src.remaining());
      for (int i = 0; i < n; i++) {
        taken.write(src.get());
      }
      return n;
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

  private static ByteBuffer staging(int bytes) {
    return ByteBuffer.allocateDirect(bytes);
  }

  @Test
  void pendingBytesCountsWhatWasAddedAndNotYetWritten() throws IOException {
    OutboundQueue queue = new OutboundQueue(chunks);
    assertTrue(queue.isEmpty());
    assertEquals(0, queue.pendingBytes());
    queue.add(line("abc"), false); // 4 bytes
    queue.add(line("defgh"), false); // 6 bytes
    assertFalse(queue.isEmpty());
    assertEquals(10, queue.pendingBytes());

    ThrottledChannel channel = new ThrottledChannel(Integer.MAX_VALUE);
    assertEquals(10, queue.writeTo(channel, staging(1024), 1024));
    assertEquals(0, queue.pendingBytes());
    assertTrue(queue.isEmpty());
    assertEquals("abc\ndefgh\n", channel.taken());
    assertEquals(1, channel.writes, "every line in one write");
  }

  @Test
  void anEmptyBufferIsNotQueued() {
    OutboundQueue queue = new OutboundQueue(chunks);
    queue.add(ByteBuffer.allocate(0), false);
    assertTrue(queue.isEmpty());
  }

  @Test
  void aPartialWriteKeepsTheRestInOrderForTheNextFlush() throws IOException {
    OutboundQueue queue = new OutboundQueue(chunks);
    queue.add(line("first"), false);
    queue.add(line("second"), false);
    queue.add(line("third"), false);
    ThrottledChannel channel = new ThrottledChannel(8);

    assertEquals(8, queue.writeTo(channel, staging(1024), 1024));
    assertEquals(1, channel.writes, "a short write means the socket is full: stop");
    assertEquals(19 - 8, queue.pendingBytes());
    assertEquals("first\nse", channel.taken());
    assertTrue(queue.midLine(), "the client has half of 'second'");

    assertEquals(8, queue.writeTo(channel, staging(1024), 1024));
    assertEquals(3, queue.pendingBytes());
    channel.capacity = Integer.MAX_VALUE;
    assertEquals(3, queue.writeTo(channel, staging(1024), 1024));
    assertEquals("first\nsecond\nthird\n", channel.taken());
    assertTrue(queue.isEmpty());
    assertFalse(queue.midLine());
  }

  @Test
  void aWriteThatEndsBetweenLinesIsNotMidLine() throws IOException {
    OutboundQueue queue = new OutboundQueue(chunks);
    queue.add(line("one"), false);
    queue.add(line("two"), false);
    assertFalse(queue.midLine());
    queue.writeTo(new ThrottledChannel(4), staging(64), 64);
    assertEquals(4, queue.pendingBytes());
    assertFalse(queue.midLine(), "'one' went whole and nothing of 'two'");
  }

  @Test
  void aWriteTakingNothingLeavesEverythingQueued() throws IOException {
    OutboundQueue queue = new OutboundQueue(chunks);
    queue.add(line("waiting"), false);
    assertEquals(0, queue.writeTo(new ThrottledChannel(0), staging(64), 1024));
    assertEquals(8, queue.pendingBytes());
    assertFalse(queue.isEmpty());
    assertFalse(queue.midLine());
  }

  @Test
  void oneFlushWritesNoMoreThanItsByteCapEvenIfTheChannelWouldTakeMore() throws IOException {
    OutboundQueue queue = new OutboundQueue(chunks);
    String hundred = "x".repeat(99);
    for (int i = 0; i < 10; i++) {
      queue.add(line(hundred), false); // 100 bytes each
    }
    ThrottledChannel channel = new ThrottledChannel(Integer.MAX_VALUE);

    assertEquals(250, queue.writeTo(channel, staging(4096), 250));
    assertEquals(750, queue.pendingBytes());
    assertEquals(250, channel.taken().length());
    assertTrue(queue.midLine());

    assertEquals(250, queue.writeTo(channel, staging(4096), 250));
    assertEquals(500, queue.pendingBytes());
    assertFalse(queue.midLine(), "500 bytes is five whole lines");
  }

  @Test
  void moreThanTheStagingBufferHoldsGoesOutInSeveralWritesOfOneFlush() throws IOException {
    OutboundQueue queue = new OutboundQueue(chunks);
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 600; i++) {
      queue.add(line("n" + i), false);
      expected.append('n').append(i).append('\n');
    }
    ThrottledChannel channel = new ThrottledChannel(Integer.MAX_VALUE);
    assertEquals(expected.length(), queue.writeTo(channel, staging(1000), 1 << 20));
    assertEquals(expected.toString(), channel.taken());
    assertEquals((expected.length() + 999) / 1000, channel.writes);
    assertTrue(queue.isEmpty());
  }

  @Test
  void sharedBuffersAreNeverMovedAndEachQueueKeepsItsOwnPlace() throws IOException {
    ByteBuffer shared = line("shared");
    OutboundQueue a = new OutboundQueue(chunks);
    OutboundQueue b = new OutboundQueue(chunks);
    a.add(shared, false);
    b.add(shared, false);
    ThrottledChannel ca = new ThrottledChannel(Integer.MAX_VALUE);
    ThrottledChannel cb = new ThrottledChannel(3);
    a.writeTo(ca, staging(64), 1024);
    b.writeTo(cb, staging(64), 1024);
    assertEquals("shared\n", ca.taken());
    assertEquals("sha", cb.taken());
    assertEquals(0, shared.position(), "the shared buffer is never consumed");
    assertEquals(7, shared.remaining());
    assertEquals(4, b.pendingBytes());
    cb.capacity = Integer.MAX_VALUE;
    b.writeTo(cb, staging(64), 1024);
    assertEquals("shared\n", cb.taken());
  }

  @Test
  void onlyTheBytesFromPositionToLimitAreSent() throws IOException {
    ByteBuffer framed = ByteBuffer.wrap("xxhello\nyy".getBytes(StandardCharsets.US_ASCII));
    framed.position(2).limit(8);
    OutboundQueue queue = new OutboundQueue(chunks);
    queue.add(framed, false);
    assertEquals(6, queue.pendingBytes());
    ThrottledChannel channel = new ThrottledChannel(Integer.MAX_VALUE);
    queue.writeTo(channel, staging(64), 64);
    assertEquals("hello\n", channel.taken());
  }

  @Test
  void clearForgetsEverything() throws IOException {
    OutboundQueue queue = new OutboundQueue(chunks);
    queue.add(line("one"), false);
    queue.add(line("two"), false);
    queue.writeTo(new ThrottledChannel(2), staging(64), 64);
    queue.clear();
    assertTrue(queue.isEmpty());
    assertEquals(0, queue.pendingBytes());
    assertFalse(queue.midLine());
  }

  @Test
  void deliveryBytesLeaveOutRepliesAsTheyAreWrittenPartOfTheWay() throws IOException {
    OutboundQueue queue = new OutboundQueue(chunks);
    queue.add(line("reply-1"), true); // 8 bytes
    queue.add(line("delivery"), false); // 9 bytes
    queue.add(line("reply-22"), true); // 9 bytes
    assertEquals(26, queue.pendingBytes());
    assertEquals(9, queue.deliveryBytes());

    ThrottledChannel channel = new ThrottledChannel(5);
    queue.writeTo(channel, staging(5), 5); // half of the first reply
    assertEquals(21, queue.pendingBytes());
    assertEquals(9, queue.deliveryBytes());
    queue.writeTo(channel, staging(5), 5); // the rest of it and 2 bytes of the delivery
    assertEquals(16, queue.pendingBytes());
    assertEquals(7, queue.deliveryBytes());
    channel.capacity = 100;
    queue.writeTo(channel, staging(64), 11); // the delivery and 4 bytes of the last reply
    assertEquals(5, queue.pendingBytes());
    assertEquals(0, queue.deliveryBytes());
    queue.add(line("d"), false);
    assertEquals(2, queue.deliveryBytes());
    queue.clear();
    assertEquals(0, queue.pendingBytes());
    assertEquals(0, queue.deliveryBytes());
  }

  @Test
  void linesSpanningManyChunksComeOutInOrderThroughPartialWrites() throws IOException {
    OutboundQueue queue = new OutboundQueue(chunks);
    StringBuilder expected = new StringBuilder();
    int lines = 3 * EntryChunks.SLOTS + 5;
    for (int i = 0; i < lines; i++) {
      queue.add(line("line " + i), i % 3 == 0);
      expected.append("line ").append(i).append('\n');
    }
    ThrottledChannel channel = new ThrottledChannel(7); // splits lines and chunk boundaries alike
    while (!queue.isEmpty()) {
      queue.writeTo(channel, staging(64), Long.MAX_VALUE);
    }
    assertEquals(expected.toString(), channel.taken());
    assertEquals(0, queue.pendingBytes());
    assertEquals(0, queue.deliveryBytes());
  }

  @Test
  void aDrainedQueueHoldsNoChunkAndTheNextBurstReusesThem() throws IOException {
    OutboundQueue queue = new OutboundQueue(chunks);
    for (int i = 0; i < 2 * EntryChunks.SLOTS + 1; i++) {
      queue.add(line("join " + i), false);
    }
    assertEquals(3, chunks.created());
    assertEquals(0, chunks.freeCount());

    queue.writeTo(new ThrottledChannel(Integer.MAX_VALUE), staging(4096), Long.MAX_VALUE);
    assertTrue(queue.isEmpty());
    assertEquals(3, chunks.freeCount(), "every chunk went back to the pool");

    OutboundQueue other = new OutboundQueue(chunks);
    for (int i = 0; i < 2 * EntryChunks.SLOTS; i++) {
      other.add(line("leave " + i), false);
    }
    assertEquals(3, chunks.created(), "the second burst made no new chunk");
  }

  @Test
  void clearGivesTheChunksBack() {
    OutboundQueue queue = new OutboundQueue(chunks);
    for (int i = 0; i < EntryChunks.SLOTS + 1; i++) {
      queue.add(line("x"), false);
    }
    queue.clear();
    assertTrue(queue.isEmpty());
    assertEquals(chunks.created(), chunks.freeCount());
  }

  /**
   * Two queues sharing one pool, driven by random adds (replies or not, buffers with a position),
   * random partial writes and the odd clear, against a plain model of what each should still send.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void randomUseMatchesAModelOfPendingLines(long seed) throws IOException {
    Random random = new Random(seed);
    OutboundQueue[] queues = {new OutboundQueue(chunks), new OutboundQueue(chunks)};
    List<List<byte[]>> pending = List.of(new ArrayList<>(), new ArrayList<>());
    List<List<Boolean>> replies = List.of(new ArrayList<>(), new ArrayList<>());
    int[] headOffset = new int[2];
    ThrottledChannel[] channels = {new ThrottledChannel(0), new ThrottledChannel(0)};
    StringBuilder[] expected = {new StringBuilder(), new StringBuilder()};

    for (int step = 0; step < 3000; step++) {
      int q = random.nextInt(2);
      int op = random.nextInt(100);
      if (op < 60) {
        byte[] text = randomLine(random);
        boolean reply = random.nextBoolean();
        ByteBuffer padded = ByteBuffer.allocate(text.length + 8);
        padded.position(5).put(text).flip().position(5); // content does not start at 0
        queues[q].add(padded.asReadOnlyBuffer(), reply);
        pending.get(q).add(text);
        replies.get(q).add(reply);
      } else if (op < 98) {
        channels[q].capacity = random.nextInt(400);
        long max = 1 + random.nextInt(1500);
        long written = queues[q].writeTo(channels[q], staging(16 + random.nextInt(1000)), max);
        assertTrue(written <= max);
        headOffset[q] =
            consumeModel(pending.get(q), replies.get(q), headOffset[q], written, expected[q]);
      } else {
        queues[q].clear();
        pending.get(q).clear();
        replies.get(q).clear();
        headOffset[q] = 0;
      }
      for (int i = 0; i < 2; i++) {
        assertEquals(expected[i].length(), channels[i].taken.size(), "bytes sent, seed " + seed);
        assertEquals(
            modelBytes(pending.get(i), replies.get(i), null) - headOffset[i],
            queues[i].pendingBytes());
        assertEquals(pending.get(i).isEmpty(), queues[i].isEmpty());
        assertEquals(headOffset[i] > 0, queues[i].midLine());
        long repliesLeft = modelBytes(pending.get(i), replies.get(i), true);
        if (!pending.get(i).isEmpty() && replies.get(i).get(0)) {
          repliesLeft -= headOffset[i];
        }
        assertEquals(queues[i].pendingBytes() - repliesLeft, queues[i].deliveryBytes());
      }
      if (queues[0].isEmpty() && queues[1].isEmpty()) {
        assertEquals(chunks.created(), chunks.freeCount(), "every chunk back in the pool");
      }
    }
    for (int i = 0; i < 2; i++) {
      assertEquals(expected[i].toString(), channels[i].taken(), "what was sent, seed " + seed);
    }
  }

  private static byte[] randomLine(Random random) {
    byte[] line = new byte[1 + random.nextInt(200)];
    for (int i = 0; i < line.length - 1; i++) {
      line[i] = (byte) ('a' + random.nextInt(26));
    }
    line[line.length - 1] = '\n';
    return line;
  }

  /**
   * Takes {@code written} bytes off the model's head; returns the new offset into the head line.
   */
  private static int consumeModel(
      List<byte[]> lines, List<Boolean> replies, int offset, long written, StringBuilder sent) {
    long left = written;
    while (left > 0) {
      byte[] head = lines.get(0);
      int take = (int) Math.min(left, head.length - offset);
      sent.append(new String(head, offset, take, StandardCharsets.UTF_8));
      left -= take;
      offset += take;
      if (offset == head.length) {
        lines.remove(0);
        replies.remove(0);
        offset = 0;
      }
    }
    return offset;
  }

  /** Bytes of the model's lines; only replies, only deliveries, or (null) all. */
  private static long modelBytes(List<byte[]> lines, List<Boolean> replies, Boolean which) {
    long total = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (which == null || replies.get(i) == which) {
        total += lines.get(i).length;
      }
    }
    return total;
  }
}
