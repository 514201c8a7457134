package dev.parley.server.store;

import dev.parley.protocol.ChatMessage;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls into a store that turn every failure, a bug's RuntimeException included, into a {@link
 * StoreException} value, so that both writers always answer: a sender gets {@code C ERR 500} rather
 * than waiting forever. Called on whichever thread owns the store.
 */
final class StoreCalls {
  private static final Logger LOG = LoggerFactory.getLogger(StoreCalls.class);

  /** What a {@link StoreWriter.StoreTask} gave: its result, or why there is none. */
  record Outcome<T>(T result, StoreException failure) {}

  private StoreCalls() {}

  /** Appends {@code batch}; returns null when it is stored, else why none of it is. */
  static StoreException append(Store store, List<ChatMessage> batch) {
    try {
      store.append(batch);
      return null;
    } catch (StoreException e) {
      // Say what happened and what the senders were told: the store's own error may be a follow-on.
      LOG.error(
          "{}; their senders were answered C ERR 500 and nobody received them", e.getMessage());
      return e;
    } catch (RuntimeException e) {
      LOG.error(
          "storing {} messages failed; their senders were answered C ERR 500", batch.size(), e);
      return new StoreException("internal store error", e);
    }
  }

  static <T> Outcome<T> run(Store store, StoreWriter.StoreTask<T> task) {
    try {
      return new Outcome<>(task.run(store), null);
    } catch (StoreException e) {
      return new Outcome<>(null, e);
    } catch (RuntimeException e) {
      LOG.error("a store task failed", e);
      return new Outcome<>(null, new StoreException("internal store error", e));
    }
  }
}
