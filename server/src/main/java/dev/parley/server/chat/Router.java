package dev.parley.server.chat;

import dev.parley.protocol.ServerLine;
import dev.parley.protocol.Wire;
import java.nio.ByteBuffer;

/**
 * Fans stored messages and notices out to the sessions online. Each message is encoded once and
 * every recipient's queue references that same buffer. Loop thread only.
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
   */
  void deliver(StoredMessage stored, Session sender, Session recipient) {
    if (stored.message().isPublic()) {
      int recipients = 0;
      for (Session s : directory.sessions()) {
        // Counted only where it was queued: a connection already closing never gets it.
        if (s != sender && s.deliver(stored.wire())) {
          recipients++;
        }
      }
      recent.add(stored);
      stats.deliveries += recipients;
      sender.confirmStored(new ServerLine.SentPublic(stored.seq(), recipients));
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

  /** Sends a notice ({@code C JOIN}, {@code C LEAVE}) to everyone online except {@code except}. */
  void broadcast(ServerLine notice, Session except) {
    ByteBuffer encoded = Wire.encode(notice);
    for (Session s : directory.sessions()) {
      if (s != except) {
        s.deliver(encoded);
      }
    }
  }
}
