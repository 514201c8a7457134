package dev.parley.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.protocol.ClientLine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ReplyQueueTest {
  /** Records what the queue released, as text, in order. */
  private static final class Recorder implements ReplyQueue.Sink {
    final List<String> events = new ArrayList<>();
    ReplyQueue queue;
    boolean historyFromStore;
    boolean outputHasRoom = true;

    @Override
    public void send(ByteBuffer line) {
      events.add(StandardCharsets.UTF_8.decode(line.duplicate()).toString());
    }

    @Override
    public boolean hasRoomForHistory() {
      return outputHasRoom;
    }

    @Override
    public void answerHistory(ClientLine request, Room room) {
      int count = ((ClientLine.ChatHistory) request).effectiveCount();
      if (historyFromStore) {
        queue.awaitQuery();
        events.add("query " + count);
      } else {
        events.add("history " + count);
      }
    }

    @Override
    public void closeAfterReplies() {
      events.add("close");
    }

    @Override
    public void pauseInput() {
      events.add("pause");
    }

    @Override
    public void resumeInput() {
      events.add("resume");
    }
  }

  private final Recorder sink = new Recorder();
  private final ReplyQueue queue = new ReplyQueue(sink);

  {
    sink.queue = queue;
  }

  private static ByteBuffer line(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
  }

  private static ClientLine ch(int n) {
    return new ClientLine.ChatHistory(OptionalInt.of(n));
  }

  @Test
  void aHistoryRequestWaitsUntilTheOutputHasRoomAndRepliesAfterItWaitWithIt() {
    sink.outputHasRoom = false;
    queue.reply(line("a"));
    queue.requestHistory(ch(5));
    queue.reply(line("b"));
    assertEquals(List.of("a"), sink.events);
    queue.outputDrained(); // no room yet: still waiting
    assertEquals(List.of("a"), sink.events);

    sink.outputHasRoom = true;
    queue.outputDrained();
    assertEquals(List.of("a", "history 5", "b"), sink.events);
  }

  @Test
  void aStoreAnswerBehindAHistoryRequestWaitingForRoomWaitsBehindIt() {
    sink.outputHasRoom = false;
    queue.requestHistory(ch(5)); // waits: the output is full
    queue.awaitStore(); // then a message, which the store takes before the output drains
    queue.storeAnswered(List.of(line("sent")));
    assertEquals(List.of(), sink.events);

    sink.outputHasRoom = true;
    queue.outputDrained();
    assertEquals(List.of("history 5", "sent"), sink.events);
  }

  @Test
  void pipelinedHistoryRequestsAreAnsweredOneAtATimeAsTheOutputDrains() {
    queue.requestHistory(ch(1));
    sink.outputHasRoom = false; // the first answer filled the output
    queue.requestHistory(ch(2));
    queue.requestHistory(ch(3));
    assertEquals(List.of("history 1"), sink.events);
    assertEquals(2, queue.size(), "the others wait as requests, not as answers");
    sink.outputHasRoom = true;
    queue.outputDrained();
    assertEquals(List.of("history 1", "history 2", "history 3"), sink.events);
  }

  @Test
  void repliesGoStraightOutWhileNothingIsPending() {
    queue.reply(line("a"));
    queue.requestHistory(ch(5));
    queue.reply(line("b"));
    assertEquals(List.of("a", "history 5", "b"), sink.events);
    assertEquals(0, queue.size());
  }

  @Test
  void repliesBehindAMessageInTheStoreWaitForItsAnswer() {
    queue.reply(line("prompt"));
    queue.awaitStore();
    queue.reply(line("pong"));
    queue.requestHistory(ch(3));
    queue.awaitStore();
    queue.reply(line("users"));
    assertEquals(List.of("prompt"), sink.events);

    queue.storeAnswered(List.of(line("sent 1")));
    assertEquals(List.of("prompt", "sent 1", "pong", "history 3"), sink.events);
    queue.storeAnswered(List.of(line("sent 2")));
    assertEquals(List.of("prompt", "sent 1", "pong", "history 3", "sent 2", "users"), sink.events);
  }

  @Test
  void aHistoryFromTheStoreHoldsItsPlaceUntilTheQueryAnswers() {
    sink.historyFromStore = true;
    queue.requestHistory(ch(7));
    queue.reply(line("pong"));
    assertEquals(List.of("query 7"), sink.events);
    queue.queryAnswered(List.of(line("history 1"), line("D PM ...")));
    assertEquals(List.of("query 7", "history 1", "D PM ...", "pong"), sink.events);
  }

  @Test
  void theCloseComesAfterEverythingOwed() {
    queue.awaitStore();
    queue.reply(line("bye"));
    queue.closeAfterReplies();
    assertEquals(List.of(), sink.events);
    queue.storeAnswered(List.of(line("sent")));
    assertEquals(List.of("sent", "bye", "close"), sink.events);
  }

  @Test
  void aFullQueuePausesInputOnceAndResumesWhenItDrainsBelowTheCap() {
    queue.awaitStore();
    for (int i = 1; i < ReplyQueue.MAX_HELD - 1; i++) {
      queue.reply(line("r" + i));
    }
    assertEquals(List.of(), sink.events);
    queue.reply(line("last"));
    assertEquals(List.of("pause"), sink.events, "paused as the cap is reached, not polled");
    queue.storeAnswered(List.of(line("sent")));
    assertEquals("resume", sink.events.get(sink.events.size() - 1));
    assertEquals(ReplyQueue.MAX_HELD + 2, sink.events.size());
  }

  @Test
  void answersAfterDiscardAreIgnoredAndAnswersOutOfOrderAreABug() {
    queue.awaitStore();
    queue.discard();
    queue.storeAnswered(List.of(line("late")));
    assertEquals(List.of(), sink.events);

    ReplyQueue other = new ReplyQueue(new Recorder());
    other.awaitStore();
    assertThrows(IllegalStateException.class, () -> other.queryAnswered(List.of()));
  }
}
