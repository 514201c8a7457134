package dev.parley.server.store;

import dev.parley.net.Histogram;
import dev.parley.protocol.ChatMessage;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores each batch on the calling (loop) thread. Only for stores that never block, such as {@link
 * InMemoryStore}: a disk store needs a writer with its own thread.
 */
public final class InlineStoreWriter implements StoreWriter {
  private static final Logger LOG = LoggerFactory.getLogger(InlineStoreWriter.class);

  private final Store store;
  private final Histogram commitTimes = new Histogram();

  public InlineStoreWriter(Store store) {
    this.store = store;
  }

  @Override
  public void submit(List<ChatMessage> batch, Completion completion) {
    long started = System.nanoTime();
    StoreException failure = StoreCalls.append(store, batch);
    commitTimes.record(System.nanoTime() - started);
    completion.onStored(batch, failure);
  }

  @Override
  public <T> void run(StoreTask<T> task, TaskCompletion<T> completion) {
    StoreCalls.Outcome<T> outcome = StoreCalls.run(store, task);
    completion.onDone(outcome.result(), outcome.failure());
  }

  @Override
  public Histogram commitTimes() {
    return commitTimes;
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
      LOG.warn("closing the store failed: {}", e.getMessage());
    }
  }
}
