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

  @TempDir Path dir;

  @RegisterExtension final ServerUnderTest server = ServerUnderTest.startedWith(this::config);

  private ServerConfig config() {
    return ServerUnderTest.defaults().withSqliteStore(dir).toBuilder()
        .accounts(true)
        .maxRate(0)
        .maxQueueBytes(MAX_QUEUE)
        .build();
  }

  /** Signs in {@code writer} and has it store {@link #MESSAGES} PMs of 4000 bytes. */
  private LineClient writerWithHistory() throws Exception {
    LineClient writer = server.signIn("writer", PASSWORD, "NEW");
    String[] lines = new String[2 * MESSAGES];
    for (int i = 0; i < MESSAGES; i++) {
      lines[2 * i] = "C PM";
      lines[2 * i + 1] = "D " + TEXT;
    }
    writer.send(lines);
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
    String[] lines = new String[2 * 200];
    for (int i = 0; i < 200; i++) {
      lines[2 * i] = "C PM";
      lines[2 * i + 1] = "D " + TEXT;
    }
    writer.send(lines);
    writer.nextMatching(l -> l.equals("C LEAVE reader too slow"));
    server.awaitUsersOnline(1);
    server.awaitOpenConnections(1);
    writer.send("C PING still");
    writer.nextStartingWith("C PONG still");
    assertTrue(reader.received().size() < REQUESTS, "the reader was never fed every answer");
  }
}
