package dev.parley.server.chat;

import dev.parley.protocol.ChatMessage;
import dev.parley.server.store.StoreException;
import dev.parley.server.store.StoreWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the messages sequenced during one loop iteration and hands them to the store as one
 * batch at the end of it (group commit). Only when the store reports the batch stored are the
 * messages delivered and confirmed, so nobody sees a message a crash could take back. Loop thread.
 */
final class StoreBatcher implements Runnable {

  /**
   * A sequenced message waiting for the store, with who sent it, for a DM who it goes to, for a
   * message of another room than {@code #main} that room, and the room word its {@code C SENT}
   * shows.
   */
  private record Pending(
      ChatMessage message, Session sender, Session recipient, Room room, String shown) {}

  private final StoreWriter writer;
  private final Router router;
  private final RoomStats stats;
  private List<Pending> pending = new ArrayList<>();
  private long lastStoredSeq; // the newest seq the store has confirmed

  StoreBatcher(StoreWriter writer, Router router, RoomStats stats, long lastStoredSeq) {
    this.lastStoredSeq = lastStoredSeq;
    this.writer = writer;
    this.router = router;
    this.stats = stats;
  }

  /**
   * @param recipient the session a DM goes to, fixed when it was chosen; null for a PM
   */
  void add(ChatMessage message, Session sender, Session recipient) {
    add(message, sender, recipient, null);
  }

  /**
   * @param shown {@code #main} when the sender's {@code C PM} named it; null otherwise
   */
  void add(ChatMessage message, Session sender, Session recipient, String shown) {
    pending.add(new Pending(message, sender, recipient, null, shown));
  }

  /** A message of {@code room} (not {@code #main}), sequenced by it. */
  void addInRoom(ChatMessage message, Session sender, Room room) {
    pending.add(new Pending(message, sender, null, room, room.name()));
  }

  /** The newest seq the store has confirmed (and that was delivered); 0 when there is none. */
  long lastStoredSeq() {
    return lastStoredSeq;
  }

  /** The end-of-iteration hook: submit what this iteration accepted. */
  @Override
  public void run() {
    if (pending.isEmpty()) {
      return;
    }
    List<Pending> batch = pending;
    pending = new ArrayList<>();
    List<ChatMessage> messages = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      messages.add(p.message());
    }
    writer.submit(messages, (stored, failure) -> complete(batch, failure));
  }

  private void complete(List<Pending> batch, StoreException failure) {
    // A failure was logged where it happened, with what the senders are answered here.
    for (Pending p : batch) {
      if (p.room() != null) {
        p.room().settled(p.message().seq(), failure == null);
      }
      if (failure == null) {
        stats.messagesIn++;
        StoredMessage stored = StoredMessage.of(p.message());
        if (p.room() != null) {
          router.deliverInRoom(stored, p.sender(), p.room());
          continue;
        }
        lastStoredSeq = p.message().seq();
        router.deliver(stored, p.sender(), p.recipient(), p.shown());
      } else {
        p.sender().refuseUnstored();
      }
    }
  }
}
