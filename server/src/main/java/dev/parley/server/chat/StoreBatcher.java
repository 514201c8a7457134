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

  private final StoreWriter writer;
  private final Router router;
  private final RoomStats stats;
  private List<ChatMessage> messages = new ArrayList<>();
  private List<Session> senders = new ArrayList<>();
  private List<Session> recipients = new ArrayList<>(); // a DM's recipient; null for a PM
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
    messages.add(message);
    senders.add(sender);
    recipients.add(recipient);
  }

  /** The newest seq the store has confirmed (and that was delivered); 0 when there is none. */
  long lastStoredSeq() {
    return lastStoredSeq;
  }

  /** The end-of-iteration hook: submit what this iteration accepted. */
  @Override
  public void run() {
    if (messages.isEmpty()) {
      return;
    }
    List<ChatMessage> batch = messages;
    List<Session> batchSenders = senders;
    List<Session> batchRecipients = recipients;
    messages = new ArrayList<>();
    senders = new ArrayList<>();
    recipients = new ArrayList<>();
    writer.submit(
        batch, (stored, failure) -> complete(stored, batchSenders, batchRecipients, failure));
  }

  private void complete(
      List<ChatMessage> batch,
      List<Session> batchSenders,
      List<Session> batchRecipients,
      StoreException failure) {
    // A failure was logged where it happened, with what the senders are answered here.
    for (int i = 0; i < batch.size(); i++) {
      Session sender = batchSenders.get(i);
      if (failure == null) {
        stats.messagesIn++;
        lastStoredSeq = batch.get(i).seq();
        router.deliver(StoredMessage.of(batch.get(i)), sender, batchRecipients.get(i));
      } else {
        sender.refuseUnstored();
      }
    }
  }
}
