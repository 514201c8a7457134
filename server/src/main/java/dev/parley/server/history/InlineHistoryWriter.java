package dev.parley.server.history;

import dev.parley.protocol.ChatMessage;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores each batch on the calling (loop) thread. Only for stores that never block, such as {@link
 * InMemoryHistoryStore}: a disk store needs a writer with its own thread.
 */
public final class InlineHistoryWriter implements HistoryWriter {
  private static final Logger LOG = LoggerFactory.getLogger(InlineHistoryWriter.class);

  private final HistoryStore store;

  public InlineHistoryWriter(HistoryStore store) {
    this.store = store;
  }

  @Override
  public void submit(List<ChatMessage> batch, Completion completion) {
    StoreException failure = null;
    try {
      store.append(batch);
    } catch (StoreException e) {
      LOG.error("could not store {} messages: {}", batch.size(), e.getMessage());
      failure = e;
    } catch (RuntimeException e) {
      // A store bug must still answer the senders (C ERR 500), as the threaded writer does.
      LOG.error("storing {} messages failed", batch.size(), e);
      failure = new StoreException("internal store error", e);
    }
    completion.onStored(batch, failure);
  }

  @Override
  public <T> void run(StoreTask<T> task, TaskCompletion<T> completion) {
    T result = null;
    StoreException failure = null;
    try {
      result = task.run(store);
    } catch (StoreException e) {
      failure = e;
    } catch (RuntimeException e) {
      LOG.error("a store task failed", e);
      failure = new StoreException("internal store error", e);
    }
    completion.onDone(result, failure);
  }

  @Override
  public int pendingBatches() {
    return 0; // every batch is stored before submit returns
  }

  @Override
  public void close() {
    try {
      store.close();
    } catch (StoreException e) {
      LOG.warn("closing the history store failed: {}", e.getMessage());
    }
  }
}
