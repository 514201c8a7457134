package dev.parley.server.chat;

import dev.parley.protocol.ClientLine;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One session's replies, in the order of the lines they answer. Most answers are known at once and
 * go straight out; a message's {@code C SENT} waits for the store, and an account's history for a
 * store query. While such an answer is pending, every later reply is held behind it and released
 * when it arrives, so a pipelining client reads its answers in the order it asked. Loop thread
 * only.
 *
 * <p>A history request ({@code C CH}, {@code C CH SINCE}, {@code C SEQ}, and {@code C TOPIC
 * <room>}, read in turn) is answered only once the connection's output has room ({@link
 * Sink#hasRoomForHistory}), since one answer can be a thousand messages: a client that pipelines
 * them without reading gets one answer queued, the rest of its requests wait here as a few bytes
 * each, and its input stops (the output is over high water, and the held requests reach {@link
 * #MAX_HELD}).
 *
 * <pre>
 *   held: [ AWAITING_STORE | Reply | HistoryRequest | AWAITING_QUERY | EXIT ... ]
 *          ^ head: released as soon as it is no longer waiting (a HistoryRequest also waits
 *            for room in the connection's output)
 * </pre>
 */
final class ReplyQueue {
  /** Held entries beyond which the session is read from no further. */
  static final int MAX_HELD = 256;

  /** Room for a few pipelined messages before the deque grows. */
  private static final int INITIAL_CAPACITY = 4;

  /** What the queue does with what it releases. */
  interface Sink {
    /** Sends one reply line. */
    void send(ByteBuffer line);

    /**
     * Answers a history request whose turn has come: at once with {@link #send}, or by calling
     * {@link #awaitQuery} first and {@link #queryAnswered} later.
     */
    void answerHistory(ClientLine request, Room room);

    /**
     * True while the connection's output can take a history answer; when it becomes true again
     * after being false, the owner calls {@link #outputDrained}.
     */
    boolean hasRoomForHistory();

    /** Everything before the goodbye was sent: close the connection after writing it. */
    void closeAfterReplies();

    /** The queue reached its cap: read no more of the session's lines. */
    void pauseInput();

    /** The queue is below its cap again after it stopped the session's input. */
    void resumeInput();
  }

  /** One held entry. */
  private sealed interface Entry {}

  /** A reply line, sent once everything before it is. */
  private record Reply(ByteBuffer line) implements Entry {}

  /**
   * A history request to answer once everything before it is answered and output has room; room
   * null for {@code #main}.
   */
  private record HistoryRequest(ClientLine request, Room room) implements Entry {}

  /** Entries that carry nothing but their place. */
  private enum Marker implements Entry {
    /** The place of a message's {@code C SENT}, filled when the store answers. */
    AWAITING_STORE,
    /** The place of an account history, filled when the store query answers. */
    AWAITING_QUERY,
    /**
     * The place of a {@code C JOIN}'s answer while the room is read from the store; the session
     * reads nothing meanwhile, so there is at most one.
     */
    AWAITING_ROOM,
    /** Close after everything before it was sent. */
    EXIT
  }

  private final Sink sink;
  // Made on first use and kept: most sessions only listen and never wait for an answer, so an
  // idle connection holds no storage here; a session that sends keeps it rather than making it
  // again for every message.
  private ArrayDeque<Entry> held;
  private boolean inputStopped; // the cap was reached and input paused; resume once below it
  private boolean discarded; // the connection is gone: late answers are dropped

  ReplyQueue(Sink sink) {
    this.sink = sink;
  }

  /** Sends {@code line} now, or holds it behind a pending answer. */
  void reply(ByteBuffer line) {
    if (size() == 0) {
      sink.send(line);
    } else {
      held.addLast(new Reply(line));
      pauseIfFull();
    }
  }

  /** Holds the place of a message's answer; {@link #storeAnswered} fills it. */
  void awaitStore() {
    held().addLast(Marker.AWAITING_STORE);
    pauseIfFull();
  }

  /** The store answered the oldest message (answers come back in the order asked). */
  void storeAnswered(List<ByteBuffer> lines) {
    fill(Marker.AWAITING_STORE, lines);
  }

  /** A history request about {@code #main}: answered once everything before it has been. */
  void requestHistory(ClientLine request) {
    requestHistory(request, null);
  }

  /** A history request about {@code room} (null: {@code #main}). */
  void requestHistory(ClientLine request, Room room) {
    held().addLast(new HistoryRequest(request, room));
    pauseIfFull();
    release();
  }

  /** The connection's output has room again: answer history requests that waited for it. */
  void outputDrained() {
    if (!discarded) {
      release();
    }
  }

  /** Called by {@link Sink#answerHistory}: the answer comes from a store query. */
  void awaitQuery() {
    held().addFirst(Marker.AWAITING_QUERY);
    pauseIfFull();
  }

  void queryAnswered(List<ByteBuffer> lines) {
    fill(Marker.AWAITING_QUERY, lines);
  }

  /** Holds the place of a {@code C JOIN}'s answer; {@link #roomAnswered} fills it. */
  void awaitRoom() {
    held().addLast(Marker.AWAITING_ROOM);
    pauseIfFull();
  }

  /**
   * The room was read: its answer takes the marker's place, wherever it is (a store answer before
   * it may still be pending, since the room was read on its own schedule).
   */
  void roomAnswered(ByteBuffer line) {
    fill(Marker.AWAITING_ROOM, List.of(line));
  }

  /** The session is leaving: after the replies still owed, close. */
  void closeAfterReplies() {
    held().addLast(Marker.EXIT);
    release();
  }

  /** Pauses input when the queue has just reached its cap; {@link #release} resumes it. */
  private void pauseIfFull() {
    if (!inputStopped && size() >= MAX_HELD) {
      inputStopped = true;
      sink.pauseInput();
    }
  }

  int size() {
    return held == null ? 0 : held.size();
  }

  /** The connection is gone: drop what is held and ignore answers that come later. */
  void discard() {
    discarded = true;
    if (held != null) {
      held.clear();
    }
  }

  private ArrayDeque<Entry> held() {
    if (held == null) {
      held = new ArrayDeque<>(INITIAL_CAPACITY);
    }
    return held;
  }

  /**
   * Puts {@code lines} in the place of the oldest {@code awaited} marker, wherever it is: answers
   * of one kind come back in the order asked, but an entry of another kind may still wait before it
   * (a history request for room in the output, a room being read). Then sends what is no longer
   * held.
   */
  private void fill(Marker awaited, List<ByteBuffer> lines) {
    if (discarded) {
      return;
    }
    if (held != null && held.peekFirst() == awaited) {
      held.pollFirst(); // the usual case: the answer everything waits for
      for (ByteBuffer line : lines) {
        sink.send(line);
      }
      release();
      return;
    }
    ArrayDeque<Entry> filled = new ArrayDeque<>(size() + lines.size());
    boolean found = false;
    for (Entry e : held()) {
      if (e == awaited && !found) {
        found = true;
        for (ByteBuffer line : lines) {
          filled.addLast(new Reply(line));
        }
      } else {
        filled.addLast(e);
      }
    }
    if (!found) {
      throw new IllegalStateException("an answer came back with nothing waiting for it");
    }
    held = filled;
    release();
  }

  /** Sends held entries from the head until one still waits for an answer. */
  private void release() {
    while (size() > 0) {
      Entry head = held.peekFirst();
      if (head == Marker.AWAITING_STORE
          || head == Marker.AWAITING_QUERY
          || head == Marker.AWAITING_ROOM) {
        break;
      }
      if (head instanceof HistoryRequest && !sink.hasRoomForHistory()) {
        break; // outputDrained() goes on
      }
      held.pollFirst();
      if (head == Marker.EXIT) {
        held.clear();
        sink.closeAfterReplies();
        return;
      }
      if (head instanceof HistoryRequest h) {
        sink.answerHistory(h.request(), h.room());
      } else if (head instanceof Reply r) {
        sink.send(r.line());
      }
    }
    if (inputStopped && size() < MAX_HELD) {
      inputStopped = false;
      sink.resumeInput();
    }
  }
}
