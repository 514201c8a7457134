package dev.parley.server.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ChatMessage;
import dev.parley.server.account.Account;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store thread in front of a real SQLite store: FIFO completions on the loop's executor, group
 * commit of the batches that queue up while a commit is on disk, and tasks ordered after batches.
 */
class ThreadedStoreWriterTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String LOOP_THREAD = "test-loop";

  @TempDir Path dir;

  private ExecutorService loop;
  private RecordingStore store;
  private ThreadedStoreWriter writer;
  private long nextSeq = 1;

  /** What the writer reported for one batch, and on which thread. */
  private record Outcome(long firstSeq, int size, StoreException failure, String thread) {}

  private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws StoreException {
    loop = Executors.newSingleThreadExecutor(r -> new Thread(r, LOOP_THREAD));
    store = new RecordingStore(SqliteStore.open(dir));
    writer = new ThreadedStoreWriter(store, loop);
  }

  @AfterEach
  void stop() throws InterruptedException {
    store.releaseHeldAppend();
    writer.close();
    loop.shutdown();
    assertTrue(loop.awaitTermination(10, TimeUnit.SECONDS));
  }

  private List<ChatMessage> batch(int size) {
    List<ChatMessage> batch = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      long seq = nextSeq++;
      batch.add(ChatMessage.publicMessage(seq, 1_000L * seq, "alice", "message " + seq));
    }
    return batch;
  }

  private void submit(List<ChatMessage> batch) {
    writer.submit(
        batch,
        (stored, failure) ->
            outcomes.add(
                new Outcome(
                    stored.get(0).seq(),
                    stored.size(),
                    failure,
                    Thread.currentThread().getName())));
  }

  private void awaitOutcomes(int count) {
    await().atMost(WAIT).until(() -> outcomes.size() >= count);
    assertEquals(count, outcomes.size(), "one completion per batch");
  }

  private List<Long> storedSeqs() throws StoreException {
    List<Long> seqs = new ArrayList<>();
    for (ChatMessage m : store.real.recentPublic(100_000)) {
      seqs.add(m.seq());
    }
    return seqs;
  }

  @Test
  void batchesCompleteInSubmissionOrderOnTheLoopExecutor() throws StoreException {
    List<Long> submitted = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      List<ChatMessage> b = batch(1 + i % 4);
      submitted.add(b.get(0).seq());
      submit(b);
    }

    awaitOutcomes(50);
    List<Long> completed = new ArrayList<>();
    for (Outcome o : outcomes) {
      completed.add(o.firstSeq());
      assertNull(o.failure());
      assertEquals(LOOP_THREAD, o.thread());
    }
    assertEquals(submitted, completed);
    assertEquals(nextSeq - 1, store.real.lastSeq());
    assertEquals(nextSeq - 1, storedSeqs().size());
  }

  @Test
  void batchesSubmittedWhileACommitIsOnDiskAreCommittedTogether() throws Exception {
    store.holdNextAppend();
    submit(batch(1));
    store.awaitHeldAppend(); // the first commit is "on disk" now
    submit(batch(2));
    submit(batch(3));
    submit(batch(4));
    assertEquals(List.of(1), store.appendSizes, "nothing else reached the store meanwhile");

    store.releaseHeldAppend();

    awaitOutcomes(4);
    assertEquals(List.of(1, 9), store.appendSizes, "the three waiting batches in one transaction");
    assertEquals(List.of(1L, 2L, 4L, 7L), outcomes.stream().map(Outcome::firstSeq).toList());
    assertTrue(outcomes.stream().allMatch(o -> o.failure() == null));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), storedSeqs());
  }

  @Test
  void aTaskSeesEveryBatchSubmittedBeforeItAndCompletesAfterThem() throws Exception {
    store.holdNextAppend();
    submit(batch(1));
    store.awaitHeldAppend();
    submit(batch(2));
    List<Object> events = new CopyOnWriteArrayList<>();
    writer.run(
        Store::lastSeq,
        (lastSeq, failure) -> {
          events.add("task saw " + lastSeq + " after " + outcomes.size() + " batches, " + failure);
          events.add(Thread.currentThread().getName());
        });
    submit(batch(1));

    store.releaseHeldAppend();

    awaitOutcomes(3);
    await().atMost(WAIT).until(() -> events.size() == 2);
    assertEquals(List.of("task saw 3 after 2 batches, null", LOOP_THREAD), events);
    assertEquals(List.of(1, 2, 1), store.appendSizes, "a task ends a group");
  }

  @Test
  void aFailingTaskReportsItsFailureAndTheWriterGoesOn() throws Exception {
    List<StoreException> failures = new CopyOnWriteArrayList<>();
    writer.run(
        s -> {
          throw new StoreException("task failed on purpose");
        },
        (result, failure) -> failures.add(failure));
    submit(batch(2));

    awaitOutcomes(1);
    await().atMost(WAIT).until(() -> failures.size() == 1);
    assertEquals("task failed on purpose", failures.get(0).getMessage());
    assertNull(outcomes.get(0).failure());
    assertEquals(List.of(1L, 2L), storedSeqs());
  }

  @Test
  void aFailedCommitReportsEveryBatchOfItAsNotStoredAndStoresNoneOfIt() throws Exception {
    submit(batch(1)); // seq 1
    awaitOutcomes(1);
    store.holdNextAppend();
    submit(batch(1)); // seq 2, on disk while the next three queue up
    store.awaitHeldAppend();
    submit(batch(1)); // seq 3
    List<ChatMessage> duplicate =
        List.of(ChatMessage.publicMessage(1, 0, "mallory", "seq 1 again")); // fails
    submit(duplicate);
    submit(batch(1)); // seq 4

    store.releaseHeldAppend();
    awaitOutcomes(5);
    submit(batch(1)); // seq 5: the writer goes on
    awaitOutcomes(6);

    // Whatever the grouping, a batch reported stored is in the store, and one reported failed is
    // not (not even in part); the duplicate itself cannot be stored.
    List<Long> stored = storedSeqs();
    for (Outcome o : outcomes) {
      boolean inStore = stored.contains(o.firstSeq());
      if (o.firstSeq() == 1 && o.size() == 1 && o.failure() != null) {
        continue; // the duplicate: seq 1 is in the store, but from the first batch
      }
      assertEquals(o.failure() == null, inStore, o.toString());
    }
    assertNotNull(outcomes.get(3).failure(), "the duplicate is refused");
    assertNull(outcomes.get(5).failure());
    assertTrue(stored.containsAll(List.of(1L, 2L, 5L)), stored.toString());
    assertEquals("message 1", store.real.recentPublic(100).get(0).text());
  }

  @Test
  void closingLetsQueuedBatchesFinishAndReleasesTheFolder() throws Exception {
    for (int i = 0; i < 20; i++) {
      submit(batch(5));
    }

    writer.close();

    try (SqliteStore reopened = SqliteStore.open(dir)) {
      assertEquals(100, reopened.lastSeq());
      assertEquals(100, reopened.recentPublic(1000).size());
    }
    writer = new ThreadedStoreWriter(new RecordingStore(SqliteStore.open(dir)), loop);
  }

  /**
   * The real SQLite store, with the size of each append recorded and, on request, the next append
   * held before it starts (a slow disk) until the test lets it go.
   */
  private static final class RecordingStore implements Store {
    final SqliteStore real;
    final List<Integer> appendSizes = new CopyOnWriteArrayList<>();
    private CountDownLatch entered; // counted down when the held append has started
    private CountDownLatch release; // the held append waits for this
    private CountDownLatch lastRelease;

    RecordingStore(SqliteStore real) {
      this.real = real;
    }

    synchronized void holdNextAppend() {
      entered = new CountDownLatch(1);
      release = new CountDownLatch(1);
      lastRelease = release;
    }

    void awaitHeldAppend() throws InterruptedException {
      CountDownLatch e;
      synchronized (this) {
        e = entered;
      }
      assertTrue(e.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the append did not start");
    }

    synchronized void releaseHeldAppend() {
      if (lastRelease != null) {
        lastRelease.countDown();
      }
    }

    @Override
    public void append(List<ChatMessage> batch) throws StoreException {
      CountDownLatch e;
      CountDownLatch r;
      synchronized (this) {
        e = entered;
        r = release;
        release = null;
      }
      appendSizes.add(batch.size());
      if (r != null) {
        e.countDown();
        try {
          if (!r.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new StoreException("the test never released the held append");
          }
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new StoreException("interrupted", ex);
        }
      }
      real.append(batch);
    }

    @Override
    public void setAccountsOn(boolean on) {
      real.setAccountsOn(on);
    }

    @Override
    public long lastSeq() throws StoreException {
      return real.lastSeq();
    }

    @Override
    public String epoch() throws StoreException {
      return real.epoch();
    }

    @Override
    public List<ChatMessage> publicSince(long afterSeq, int n) throws StoreException {
      return real.publicSince(afterSeq, n);
    }

    @Override
    public List<ChatMessage> visibleSince(String name, long afterSeq, int n) throws StoreException {
      return real.visibleSince(name, afterSeq, n);
    }

    @Override
    public List<ChatMessage> recentPublic(int n) throws StoreException {
      return real.recentPublic(n);
    }

    @Override
    public List<ChatMessage> visibleTo(String name, int n) throws StoreException {
      return real.visibleTo(name, n);
    }

    @Override
    public List<Account> loadAccounts() throws StoreException {
      return real.loadAccounts();
    }

    @Override
    public void createAccount(Account account) throws StoreException {
      real.createAccount(account);
    }

    @Override
    public void close() throws StoreException {
      real.close();
    }
  }
}
