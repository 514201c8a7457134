package dev.parley.server.store;

import dev.parley.net.Histogram;
import dev.parley.protocol.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a blocking store on its own thread. Batches queue up while a commit is on disk; the thread
 * then takes every waiting batch and commits them in one transaction (group commit), so the cost of
 * a sync is shared by all the messages that arrived meanwhile. Completions go back to the loop
 * through {@code loop} (its task queue plus a selector wakeup), in submission order.
 *
 * <p>{@link #submit} may be called from one thread only (the loop); the store is touched only by
 * the store thread.
 */
public final class ThreadedStoreWriter implements StoreWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ThreadedStoreWriter.class);

  /** Messages committed in one transaction at most, so one commit cannot grow without bound. */
  static final int MAX_MESSAGES_PER_COMMIT = 20_000;

  private record Job(List<ChatMessage> batch, Completion completion, Runnable task) {}

  private static final Job STOP = new Job(null, null, null);

  private final Store store;
  private final Executor loop;
  private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final Histogram commitTimes = new Histogram(); // touched only in tasks on the loop

  public ThreadedStoreWriter(Store store, Executor loop) {
    this.store = store;
    this.loop = loop;
    this.thread = new Thread(this::run, "parley-store");
    thread.start();
  }

  @Override
  public void submit(List<ChatMessage> batch, Completion completion) {
    jobs.add(new Job(batch, completion, null));
  }

  @Override
  public <T> void run(StoreTask<T> task, TaskCompletion<T> completion) {
    jobs.add(
        new Job(
            null,
            null,
            () -> {
              StoreCalls.Outcome<T> outcome = StoreCalls.run(store, task);
              loop.execute(() -> completion.onDone(outcome.result(), outcome.failure()));
            }));
  }

  @Override
  public Histogram commitTimes() {
    return commitTimes;
  }

  @Override
  public int pendingBatches() {
    return jobs.size();
  }

  @Override
  public void close() {
    jobs.add(STOP);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      store.close();
    } catch (StoreException e) {
      LOG.warn("closing the store failed: {}", e.getMessage());
    }
  }

  private void run() {
    while (true) {
      Job first;
      try {
        first = jobs.take();
      } catch (InterruptedException e) {
        break;
      }
      if (first == STOP) {
        break;
      }
      if (first.task() != null) {
        first.task().run(); // StoreCalls.run inside it turns any failure into an answer
        continue;
      }
      List<Job> group = new ArrayList<>();
      List<ChatMessage> combined = new ArrayList<>(first.batch());
      group.add(first);
      // Take what queued up during the last commit, up to the next non-write job.
      Job next;
      while (combined.size() < MAX_MESSAGES_PER_COMMIT
          && (next = jobs.peek()) != null
          && next != STOP
          && next.task() == null) {
        jobs.poll();
        group.add(next);
        combined.addAll(next.batch());
      }
      commit(group, combined);
    }
  }

  private void commit(List<Job> group, List<ChatMessage> combined) {
    long started = System.nanoTime();
    StoreException result = StoreCalls.append(store, combined);
    long took = System.nanoTime() - started;
    loop.execute(
        () -> {
          commitTimes.record(took);
          for (Job job : group) {
            job.completion().onStored(job.batch(), result);
          }
        });
  }
}
