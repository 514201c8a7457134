package dev.parley.server.chat;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientLine;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.RoomNames;
import dev.parley.protocol.ServerLine;
import dev.parley.protocol.Wire;
import dev.parley.server.store.StoreWriter;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one signed-in session may read of the past: the join history, {@code C CH}, and the resume
 * requests {@code C SEQ} and {@code C CH SINCE} (protocol section 10); and, without accounts, the
 * DMs this connection sent or received, which only it may see. Answers from memory are buffers
 * shared with the recent-history ring; the rest are store queries, answered through the session's
 * {@link ReplyQueue} in turn. Loop thread only.
 */
final class SessionHistory {
  private static final Logger LOG = LoggerFactory.getLogger(SessionHistory.class);

  private static final ServerLine.Error UNAVAILABLE =
      new ServerLine.Error(ErrorCode.STORE_FAILED, "history is not available right now");

  /** Direct messages kept for {@code C CH} without accounts (this connection's own DMs). */
  static final int MAX_DIRECT_LOG = ClientLine.ChatHistory.MAX_COUNT;

  private final RoomHistory past;
  private final ReplyQueue replies;
  private final ReplyQueue.Sink out;
  private ArrayDeque<StoredMessage> directLog; // DMs sent or received since sign-in; lazily made

  SessionHistory(RoomHistory past, ReplyQueue replies, ReplyQueue.Sink out) {
    this.past = past;
    this.replies = replies;
    this.out = out;
  }

  /** Keeps a DM this connection sent or received (accounts off; with them the store has it). */
  void rememberDirect(StoredMessage message) {
    if (past.accountsOn()) {
      return;
    }
    if (directLog == null) {
      directLog = new ArrayDeque<>();
    }
    directLog.addLast(message);
    if (directLog.size() > MAX_DIRECT_LOG) {
      directLog.removeFirst();
    }
  }

  /** The connection is gone. */
  void forget() {
    directLog = null;
  }

  /** The epoch of {@code #main}'s history, for {@code C JOINED #main}. */
  String mainEpoch() {
    return past.epoch();
  }

  /** The newest seq stored in {@code #main}, for {@code C JOINED #main}. */
  long mainLastSeq() {
    return past.lastStoredSeq();
  }

  /** The recent public messages a new user gets right after {@code C READY}. */
  void sendJoinHistory() {
    send(past.forJoin(), null);
  }

  /**
   * Answers {@code request} (a {@code C CH}, {@code C CH SINCE} or {@code C SEQ}) for the user
   * {@code name}; called by the reply queue with nothing held before it.
   *
   * @param room the room asked about, which the user is in; null for {@code #main}, whose answer
   *     names it only when the request did
   */
  void answer(ClientLine request, String name, Room room) {
    if (room != null) {
      answerInRoom(request, name, room);
      return;
    }
    String shown = mainNamed(request);
    if (request instanceof ClientLine.Seq) {
      out.send(Wire.encode(new ServerLine.Seq(past.epoch(), past.lastStoredSeq(), shown)));
    } else if (request instanceof ClientLine.ChatHistory ch) {
      int n = ch.effectiveCount();
      if (!past.accountsOn()) {
        send(lastVisible(n), shown);
      } else {
        query(name, store -> store.visibleTo(name, n), messages -> messages, shown);
      }
    } else if (request instanceof ClientLine.ChatHistorySince since) {
      answerSince(since.afterSeq(), since.count(), name, shown);
    } else {
      throw new IllegalArgumentException("not a history request: " + request);
    }
  }

  /** {@code #main} when the request named it (in any case), else null: the old form. */
  private static String mainNamed(ClientLine request) {
    String word =
        request instanceof ClientLine.Seq s
            ? s.room()
            : request instanceof ClientLine.ChatHistory ch
                ? ch.room()
                : request instanceof ClientLine.ChatHistorySince since ? since.room() : null;
    return word == null ? null : RoomNames.MAIN;
  }

  /** A room's history is its members' alike, and lives in the store. */
  private void answerInRoom(ClientLine request, String name, Room room) {
    String roomName = room.name();
    if (request instanceof ClientLine.Seq) {
      out.send(Wire.encode(new ServerLine.Seq(room.epoch(), room.lastStoredSeq(), room.name())));
    } else if (request instanceof ClientLine.ChatHistory ch) {
      int n = ch.effectiveCount();
      query(name, store -> store.roomRecent(roomName, n), messages -> messages, room.name());
    } else if (request instanceof ClientLine.ChatHistorySince since) {
      query(
          name,
          store -> store.roomSince(roomName, since.afterSeq(), since.count()),
          messages -> messages,
          room.name());
    } else {
      throw new IllegalArgumentException("not a history request: " + request);
    }
  }

  private void answerSince(long afterSeq, int n, String name, String shown) {
    if (past.accountsOn()) {
      query(name, store -> store.visibleSince(name, afterSeq, n), messages -> messages, shown);
    } else if (past.recentHoldsAllAfter(afterSeq)) {
      send(firstVisibleAfter(past.recentPublicAfter(afterSeq, n), afterSeq, n), shown);
    } else {
      // Older than the ring: the public part comes from the store, this connection's DMs from
      // memory (an earlier connection's DMs are nobody's without accounts).
      query(
          name,
          store -> store.publicSince(afterSeq, n),
          publicPart -> firstVisibleAfter(publicPart, afterSeq, n),
          shown);
    }
  }

  /**
   * An answer from a store query, shaped by {@code shape} (oldest first in, oldest first out);
   * later replies wait for it.
   */
  private void query(
      String name,
      StoreWriter.StoreTask<List<ChatMessage>> task,
      UnaryOperator<List<StoredMessage>> shape,
      String shown) {
    replies.awaitQuery();
    past.writer()
        .run(
            task,
            (messages, failure) -> {
              if (failure != null) {
                // Nothing is lost (the history is still stored), so a warning: but say it, with
                // what the user was told, like every other store failure.
                LOG.warn(
                    "{}; {} was answered {}", failure.getMessage(), name, UNAVAILABLE.format());
                replies.queryAnswered(List.of(Wire.encode(UNAVAILABLE)));
                return;
              }
              List<StoredMessage> stored = new ArrayList<>(messages.size());
              for (ChatMessage m : messages) {
                stored.add(StoredMessage.of(m));
              }
              replies.queryAnswered(lines(shape.apply(stored), shown));
            });
  }

  /** Sends {@code C HISTORY k} and the messages; the caller makes sure nothing is held before. */
  private void send(List<StoredMessage> messages, String shown) {
    for (ByteBuffer line : lines(messages, shown)) {
      out.send(line);
    }
  }

  /**
   * {@code C HISTORY [<room>] k} and the messages. A message of another room carries its room
   * already; one of {@code #main} is shown with {@code #main} only when the request named it (a DM
   * keeps its form), which costs an encoding of its own.
   */
  private static List<ByteBuffer> lines(List<StoredMessage> messages, String shown) {
    List<ByteBuffer> lines = new ArrayList<>(messages.size() + 1);
    lines.add(Wire.encode(new ServerLine.History(messages.size(), shown)));
    for (StoredMessage m : messages) {
      boolean asIs = shown == null || m.message().room() != null || !m.message().isPublic();
      lines.add(asIs ? m.wire() : Wire.encode(new ServerLine.Delivery(m.message().inRoom(shown))));
    }
    return lines;
  }

  /** Public history merged with this connection's own DMs by seq; the last {@code n}. */
  private List<StoredMessage> lastVisible(int n) {
    List<StoredMessage> merged = withDirect(past.recentPublic(n), Long.MIN_VALUE);
    return merged.size() <= n ? merged : merged.subList(merged.size() - n, merged.size());
  }

  /** Public messages after {@code afterSeq} merged with this connection's DMs; the first n. */
  private List<StoredMessage> firstVisibleAfter(
      List<StoredMessage> publicPart, long afterSeq, int n) {
    List<StoredMessage> merged = withDirect(publicPart, afterSeq);
    return merged.size() <= n ? merged : merged.subList(0, n);
  }

  /** {@code publicPart} (in seq order) with the DMs after {@code afterSeq} merged in by seq. */
  private List<StoredMessage> withDirect(List<StoredMessage> publicPart, long afterSeq) {
    if (directLog == null || directLog.isEmpty()) {
      return publicPart;
    }
    List<StoredMessage> merged = new ArrayList<>(publicPart.size() + directLog.size());
    int i = 0;
    for (StoredMessage dm : directLog) {
      if (dm.seq() <= afterSeq) {
        continue;
      }
      while (i < publicPart.size() && publicPart.get(i).seq() < dm.seq()) {
        merged.add(publicPart.get(i++));
      }
      merged.add(dm);
    }
    while (i < publicPart.size()) {
      merged.add(publicPart.get(i++));
    }
    return merged;
  }
}
