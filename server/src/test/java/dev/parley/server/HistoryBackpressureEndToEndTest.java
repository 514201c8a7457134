package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * History answers count toward a connection's output bound (contract section 6): a client that
 * pipelines {@code C CH} without reading is paused, not fed, and past {@code --max-queue} dropped.
 * With accounts the answers come from store queries, which arrive after the lines asking for them
 * were read; that is where they used to pile up without limit.
 */
class HistoryBackpressureEndToEndTest {
  private static final long MAX_QUEUE = 256 * 1024;
  private static final int MESSAGES = 100;
  private static final String TEXT = "x".repeat(4000);
  private static final int REQUESTS = 60;
  private static final String PASSWORD = "correct horse";
  private static final String TOO_SLOW = "C LEAVE reader too slow";
  private static final int ROUND = 200; // messages sent at once to the paused reader
  // 2000 messages are 8 MB: more than a socket buffer can take (4 MiB) plus --max-queue.
  private static final int MAX_ROUNDS = 10;

  @TempDir Path dir;

  @RegisterExtension final ServerUnderTest server = ServerUnderTest.startedWith(this::config);

  private ServerConfig config() {
    return ServerUnderTest.defaults().withSqliteStore(dir).toBuilder()
        .accounts(true)
        .maxRate(0)
        .maxQueueBytes(MAX_QUEUE)
        .build();
  }

  /** {@code count} PMs of 4000 bytes, as lines to send in one write. */
  private static String[] pipelinedMessages(int count) {
    String[] lines = new String[2 * count];
    for (int i = 0; i < count; i++) {
      lines[2 * i] = "C PM";
      lines[2 * i + 1] = "D " + TEXT;
    }
    return lines;
  }

  /** Signs in {@code writer} and has it store {@link #MESSAGES} PMs of 4000 bytes. */
  private LineClient writerWithHistory() throws Exception {
    LineClient writer = server.signIn("writer", PASSWORD, "NEW");
    writer.send(pipelinedMessages(MESSAGES));
    for (int i = 1; i <= MESSAGES; i++) {
      writer.expect("C PROMPT TEXT", "C SENT PM " + i + " 0");
    }
    return writer;
  }

  /** A reader that asks for the whole history {@link #REQUESTS} times and reads none of it. */
  private LineClient pipeliningReader() throws Exception {
    LineClient reader = server.connect("reader", 4096);
    reader.signIn("reader", PASSWORD, "NEW");
    reader.stopReading();
    String[] asks = new String[REQUESTS];
    Arrays.fill(asks, "C CH " + MESSAGES);
    reader.send(asks);
    reader.send("C PING done");
    return reader;
  }

  @Test
  void pipelinedHistoryAnswersWaitForRoomSoTheQueueStaysBoundedAndNothingIsLost() throws Exception {
    LineClient writer = writerWithHistory();
    LineClient reader = pipeliningReader();

    // The server answers others meanwhile.
    writer.send("C PING alive");
    writer.nextStartingWith("C PONG alive");

    // Reading at last, the client gets every answer, complete and in order.
    reader.resumeReading();
    for (int r = 0; r < REQUESTS; r++) {
      List<String> history = reader.history();
      assertEquals(MESSAGES, history.size());
      assertEquals("D PM 1 ", history.get(0).substring(0, 7));
    }
    reader.expect("C PONG done");

    // One answer is about 400 KB: the queue held at most that above high water (half the
    // maximum), never the 24 MB of sixty answers.
    long oneAnswer = MESSAGES * (TEXT.length() + 64L);
    long peak = server.server().peakQueuedBytes();
    assertTrue(peak <= MAX_QUEUE / 2 + oneAnswer, "peak queued bytes " + peak);
  }

  @Test
  void aPipeliningClientThatNeverReadsIsDroppedAsTooSlowOnceMessagesPassTheLimit()
      throws Exception {
    LineClient writer = writerWithHistory();
    LineClient reader = pipeliningReader();
    writer.expect("C JOIN reader");

    // Messages for the paused reader count toward --max-queue; past it the reader is dropped.
    // Only what its socket does not take counts, and how much of the socket's buffer (up to
    // tcp_wmem's 4 MiB on Linux) the history answers filled first depends on timing: once 200
    // messages all went into it and the reader was never dropped. So rounds go on until the drop.
    long seq = MESSAGES;
    boolean dropped = false;
    for (int round = 0; round < MAX_ROUNDS && !dropped; round++) {
      writer.send(pipelinedMessages(ROUND));
      seq += ROUND;
      String lastSent = "C SENT PM " + seq + " ";
      dropped =
          writer.nextMatching(l -> l.equals(TOO_SLOW) || l.startsWith(lastSent)).equals(TOO_SLOW);
    }
    assertTrue(dropped, "the reader was not dropped after " + (seq - MESSAGES) + " messages");
    server.awaitUsersOnline(1);
    server.awaitOpenConnections(1);
    writer.send("C PING still");
    writer.nextStartingWith("C PONG still");
    assertTrue(reader.received().size() < REQUESTS, "the reader was never fed every answer");
  }
}
