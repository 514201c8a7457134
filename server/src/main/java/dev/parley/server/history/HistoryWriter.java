package dev.parley.server.history;

import dev.parley.protocol.ChatMessage;
import java.util.List;

/**
 * Hands batches of sequenced messages to a {@link HistoryStore} and reports back on the loop
 * thread. Contract: {@link #submit} is called on the loop thread and MUST NOT block; callbacks run
 * on the loop thread in the order the batches were submitted, so confirmations keep seq order.
 */
public interface HistoryWriter extends AutoCloseable {

  /** What became of one batch. Runs on the loop thread. */
  interface Completion {
    /**
     * @param failure null when the whole batch is stored, else why none of it is
     */
    void onStored(List<ChatMessage> batch, StoreException failure);
  }

  void submit(List<ChatMessage> batch, Completion completion);

  /** Lets queued batches finish, then releases the store. */
  @Override
  void close();
}
