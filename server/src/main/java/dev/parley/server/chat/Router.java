package dev.parley.server.chat;

import dev.parley.protocol.ServerLine;
import dev.parley.protocol.Wire;
import java.nio.ByteBuffer;
import java.util.Collection;

/**
 * Fans stored messages and notices out to the sessions online, or to a room's members. Each message
 * is encoded once and every recipient's queue references that same buffer. Loop thread only.
 */
final class Router {
  private final Directory directory;
  private final RecentHistory recent;
  private final RoomStats stats;

  Router(Directory directory, RecentHistory recent, RoomStats stats) {
    this.directory = directory;
    this.recent = recent;
    this.stats = stats;
  }

  /**
   * Delivers a message that is stored: a PM to everyone online but its sender, a DM to its
   * recipient if still online; then confirms to the sender with {@code C SENT}.
   *
   * @param sender the session that sent it; it may have left since
   * @param recipient a DM's recipient as chosen by the sender (it may have left since, and someone
   *     else may hold its name now, who must not get it); null for a PM
   * @param shown the room word of the sender's {@code C SENT PM}: {@code #main} when its request
   *     named it, else null
   */
  void deliver(StoredMessage stored, Session sender, Session recipient, String shown) {
    if (stored.message().isPublic()) {
      int recipients = fanOut(directory.sessions(), stored, sender);
      recent.add(stored);
      sender.confirmStored(new ServerLine.SentPublic(stored.seq(), recipients, shown));
    } else {
      if (recipient.deliver(stored.wire())) {
        stats.deliveries++;
        if (recipient != sender) {
          recipient.rememberDirect(stored);
        }
      }
      sender.rememberDirect(stored);
      sender.confirmStored(new ServerLine.SentDirect(stored.seq(), stored.message().to()));
    }
  }

  /** Delivers a stored message of {@code room} to its members but the sender, and confirms it. */
  void deliverInRoom(StoredMessage stored, Session sender, Room room) {
    int recipients = fanOut(room.members(), stored, sender);
    stats.roomMessagesIn++;
    sender.confirmStored(new ServerLine.SentPublic(stored.seq(), recipients, room.name()));
  }

  /** Queues one encoded message to {@code to} but its sender; how many it was queued to. */
  private int fanOut(Collection<Session> to, StoredMessage stored, Session sender) {
    int recipients = 0;
    for (Session s : to) {
      // Counted only where it was queued: a connection already closing never gets it.
      if (s != sender && s.deliver(stored.wire())) {
        recipients++;
      }
    }
    stats.deliveries += recipients;
    return recipients;
  }

  /** Sends a notice ({@code C JOIN}, {@code C LEAVE}) to everyone online except {@code except}. */
  void broadcast(ServerLine notice, Session except) {
    broadcast(directory.sessions(), notice, except);
  }

  /** Sends a notice, encoded once, to {@code to} except {@code except} (null: to all of them). */
  void broadcast(Collection<Session> to, ServerLine notice, Session except) {
    ByteBuffer encoded = Wire.encode(notice);
    for (Session s : to) {
      if (s != except) {
        s.deliver(encoded);
      }
    }
  }
}
