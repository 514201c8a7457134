package dev.parley.server.store;

import dev.parley.net.Histogram;
import dev.parley.protocol.ChatMessage;
import java.util.List;

/**
 * Hands batches of sequenced messages to a {@link Store} and reports back on the loop thread.
 * Contract: {@link #submit} is called on the loop thread and MUST NOT block; callbacks run on the
 * loop thread in the order the batches were submitted, so confirmations keep seq order.
 */
public interface StoreWriter extends AutoCloseable {

  /** What became of one batch. Runs on the loop thread. */
  interface Completion {
    /**
     * @param failure null when the whole batch is stored, else why none of it is
     */
    void onStored(List<ChatMessage> batch, StoreException failure);
  }

  /** Work to run against the store, on the thread that owns it. */
  interface StoreTask<T> {
    T run(Store store) throws StoreException;
  }

  /** The outcome of a {@link StoreTask}. Runs on the loop thread. */
  interface TaskCompletion<T> {
    /**
     * @param failure null when {@code result} is valid
     */
    void onDone(T result, StoreException failure);
  }

  void submit(List<ChatMessage> batch, Completion completion);

  /**
   * Runs {@code task} after every batch already submitted, then {@code completion} on the loop.
   * MUST be called on the loop thread; MUST NOT block.
   */
  <T> void run(StoreTask<T> task, TaskCompletion<T> completion);

  /**
   * How long the store took to commit each group of batches, counted when the completion reaches
   * the loop. Loop thread only.
   */
  Histogram commitTimes();

  /** Batches and tasks waiting for the store (the store lag). Any thread; approximate. */
  int pendingBatches();

  /** Lets queued batches finish, then releases the store. */
  @Override
  void close();
}
