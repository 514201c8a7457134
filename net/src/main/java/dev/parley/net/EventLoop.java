package dev.parley.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the selector, every channel and all session state. Other threads reach
 * it only through {@link #execute}, which queues a task and wakes the selector.
 *
 * <p>One iteration, in this order:
 *
 * <pre>
 *   select (no wait if work is already pending; else until the nearest timer), handling
 *     each ready key as select reports it: write first, then read + decode + handle lines
 *     -> timers that are due
 *     -> decode input stashed by connections that were told to resume
 *     -> tasks from other threads (bounded per iteration)
 *     -> end-of-iteration hooks (hand this iteration's messages to the store)
 *     -> close the connections flagged during the iteration
 *     -> flush every dirty connection once (one write each, from the staging buffer)
 * </pre>
 *
 * Closing happens only at that step, never while a router is iterating recipients; flushing comes
 * last so that goodbyes and leave notices produced by closes go out in the same iteration.
 *
 * <p>Failures: whatever a connection's handling throws, an {@link Error} such as the {@link
 * NoClassDefFoundError} of a class load that found no file descriptor included, closes that
 * connection only (like Jetty's per-key catch); a failing task or timer is logged and the loop goes
 * on. A {@link VirtualMachineError} (out of memory, stack overflow) is different: the JVM may be in
 * no state to go on, so it ends the loop, which logs it once at ERROR, closes every connection and
 * reports it by {@link #fatalError}; {@code Main} then exits with a failure code so that the
 * process supervisor starts a fresh server.
 */
public final class EventLoop implements Executor, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

  /** Bytes read from one connection per readiness event; also the shared read buffer's size. */
  public static final int READ_BUFFER_BYTES = 64 * 1024;

  /** Bytes written to one connection per flush, so one fast reader cannot starve the rest. */
  public static final long MAX_WRITE_BYTES_PER_FLUSH = 256 * 1024;

  /** Tasks from other threads run per iteration, so a flood of them cannot starve the sockets. */
  static final int MAX_TASKS_PER_ITERATION = 4096;

  private final Selector selector;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final AtomicInteger wakeups = new AtomicInteger(); // selector wakeups made; for tests
  private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
  // Direct, so a write is one copy from the shared messages and no hidden temporary buffers.
  private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect((int) MAX_WRITE_BYTES_PER_FLUSH);
  private final EntryChunks entryChunks = new EntryChunks();
  private final List<Connection> dirty = new ArrayList<>();
  private final List<Connection> resumed = new ArrayList<>();
  private final List<Connection> closing = new ArrayList<>();
  private final List<Runnable> iterationEndHooks = new ArrayList<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final Histogram iterationTimes = new Histogram(); // work per iteration, select excluded
  private long timerSequence; // ties between equal deadlines go to the earlier scheduled
  private final LongSupplier clock; // nanos; System.nanoTime but in tests
  private long now; // the time this iteration started, in nanos of clock
  private boolean nowIsStale; // select is waiting: now still holds the previous iteration's time
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable fatalError; // what ended the loop, if it did not just close

  public EventLoop(String name) throws IOException {
    this(name, System::nanoTime);
  }

  /**
   * A loop that reads time from {@code nanoClock} ({@link System#nanoTime()} scale): its iteration
   * time, every timer's deadline and how long select may wait all come from it, so a test can move
   * time on by hand.
   */
  public EventLoop(String name, LongSupplier nanoClock) throws IOException {
    this.clock = nanoClock;
    this.now = nanoClock.getAsLong();
    this.selector = Selector.open();
    this.thread = new Thread(this::run, name);
  }

  public void start() {
    thread.start();
  }

  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /**
   * Runs {@code task} on the loop thread. Any thread. The selector is woken at most once per batch
   * of submissions (a flag coalesces wakeups), since every wakeup costs a system call.
   */
  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
      wakeups.incrementAndGet();
      selector.wakeup();
    }
  }

  /** How many times {@link #execute} woke the selector; tests check that wakeups coalesce. */
  int wakeups() {
    return wakeups.get();
  }

  /**
   * Runs {@code hook} on the loop thread at the end of every iteration, before closes and flushes.
   * Call it before the loop starts or on the loop thread: the list of hooks is not shared safely.
   */
  public void addIterationEndHook(Runnable hook) {
    iterationEndHooks.add(hook);
  }

  /** Registers a channel and its handler for the given interest ops. Loop thread only. */
  public SelectionKey register(
      java.nio.channels.SelectableChannel channel, int ops, Selectable attachment)
      throws IOException {
    return channel.register(selector, ops, attachment);
  }

  /**
   * The time this iteration began its work: when select reported its first ready key, or returned
   * (nanos of the loop's clock, {@link System#nanoTime()} unless a test gave another). Loop thread.
   * Cheaper than asking the clock per line, and the same for every line of one iteration.
   */
  public long now() {
    return now;
  }

  /**
   * The clock this loop reads ({@link #now} is its reading at the start of the iteration), for the
   * parts that measure time on the loop's terms without a timer. Any thread.
   */
  public LongSupplier clock() {
    return clock;
  }

  /** A scheduled action; cancel it if it is no longer wanted. */
  public static final class Timer implements Comparable<Timer> {
    private final long deadline;
    private final long sequence;
    private final Runnable action;
    private boolean cancelled;

    private Timer(long deadline, long sequence, Runnable action) {
      this.deadline = deadline;
      this.sequence = sequence;
      this.action = action;
    }

    public void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Timer o) {
      int byDeadline = Long.compare(deadline - o.deadline, 0);
      return byDeadline != 0 ? byDeadline : Long.compare(sequence, o.sequence);
    }
  }

  /**
   * Runs {@code action} on the loop once {@code delayNanos} have passed. Loop thread only: timers
   * live on the loop (no timer threads touching loop state), and select waits no longer than the
   * nearest deadline. The deadline counts from {@link #now}, the same time it is checked against.
   */
  public Timer schedule(long delayNanos, Runnable action) {
    Timer timer = new Timer(now + delayNanos, timerSequence++, action);
    timers.add(timer);
    return timer;
  }

  ByteBuffer readBuffer() {
    return readBuffer;
  }

  /** Slots for the connections' outbound queues, lent while a queue holds something. */
  EntryChunks entryChunks() {
    return entryChunks;
  }

  /** Frees the pooled chunks that the last period did not need, then looks again a period later. */
  private void releaseIdleChunks() {
    entryChunks.release();
    schedule(EntryChunks.RELEASE_PERIOD_NANOS, this::releaseIdleChunks);
  }

  /** Staging space for writes, shared by all connections: only the loop writes, one at a time. */
  ByteBuffer writeBuffer() {
    return writeBuffer;
  }

  void flushLater(Connection connection) {
    dirty.add(connection);
  }

  void resumeLater(Connection connection) {
    resumed.add(connection);
  }

  void closeLater(Connection connection) {
    closing.add(connection);
  }

  /** Stops the loop after the current iteration and waits for it. Any thread. */
  @Override
  public void close() {
    running = false;
    if (thread.getState() == Thread.State.NEW) {
      // Never started (the server failed to start): no loop thread will release anything.
      closeAll();
      terminated.countDown();
      return;
    }
    selector.wakeup();
    if (!inLoop()) {
      try {
        if (!terminated.await(10, TimeUnit.SECONDS)) {
          LOG.warn("event loop did not stop within 10 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminated.await(timeout, unit);
  }

  /** Waits until the loop has stopped, however long that takes. Any thread. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /** The {@link VirtualMachineError} that ended the loop, or null. Any thread. */
  public Throwable fatalError() {
    return fatalError;
  }

  /**
   * Rethrows what no connection's close can mend; anything else thrown while handling one
   * connection, task or timer is that one's failure.
   */
  static void rethrowIfFatal(Throwable t) {
    if (t instanceof VirtualMachineError fatal) {
      throw fatal;
    }
  }

  private void run() {
    schedule(EntryChunks.RELEASE_PERIOD_NANOS, this::releaseIdleChunks);
    try {
      while (running) {
        try {
          iterate();
        } catch (ClosedSelectorException e) {
          break;
        } catch (VirtualMachineError e) {
          fatalError = e;
          LOG.error("event loop stopped by {}; closing every connection", e, e);
          break;
        } catch (Exception | Error e) {
          // Never let one failure spin the loop hot: log and pause briefly, like Netty does.
          LOG.error("event loop iteration failed", e);
          pauseAfterFailure();
        }
      }
    } finally {
      // Tasks submitted just before the stop (a registration, a close) still get to run.
      runTasks();
      closeAll();
      terminated.countDown();
    }
  }

  // Package-private for the fan-out microbenchmark, which drives iterations itself.
  void iterate() throws IOException {
    long wait = nanosUntilNextTimer();
    nowIsStale = true;
    if (hasPendingWork() || wait == 0) {
      selector.selectNow(this::dispatch);
    } else if (wait < 0) {
      selector.select(this::dispatch);
    } else {
      selector.select(this::dispatch, Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999)));
    }
    wakeupPending.set(false);
    refreshNow(); // when no key was ready
    runTimers();
    if (!resumed.isEmpty()) {
      decodeResumed();
    }
    runTasks();
    for (int i = 0; i < iterationEndHooks.size(); i++) {
      iterationEndHooks.get(i).run();
    }
    closePending();
    flushPending();
    iterationTimes.record(System.nanoTime() - now);
  }

  /** How long iterations took, from the first ready key to the end of the flush. Loop thread. */
  public Histogram iterationTimes() {
    return iterationTimes;
  }

  /** -1 with no timers, 0 when one is due, else the nanoseconds to the nearest one. */
  private long nanosUntilNextTimer() {
    Timer next;
    while ((next = timers.peek()) != null && next.cancelled) {
      timers.poll();
    }
    if (next == null) {
      return -1;
    }
    return Math.max(0, next.deadline - clock.getAsLong());
  }

  private void runTimers() {
    // A timer that a timer schedules waits for the next iteration, even with no delay: "let the
    // loop go round" means that, and a timer that keeps rescheduling itself cannot spin here.
    long scheduledBefore = timerSequence;
    Timer next;
    while ((next = timers.peek()) != null
        && next.sequence < scheduledBefore
        && (next.cancelled || next.deadline - now <= 0)) {
      timers.poll();
      if (!next.cancelled) {
        try {
          next.action.run();
        } catch (RuntimeException | Error e) {
          rethrowIfFatal(e);
          LOG.error("timer on the event loop failed", e);
        }
      }
    }
  }

  private boolean hasPendingWork() {
    return !tasks.isEmpty() || !resumed.isEmpty() || !closing.isEmpty() || !dirty.isEmpty();
  }

  private void dispatch(SelectionKey key) {
    // Keys are handled inside select, before it returns: the iteration's time starts here, so that
    // a line read after a long wait is not stamped with the time the wait began.
    refreshNow();
    Selectable target = (Selectable) key.attachment();
    try {
      if (key.isValid()) {
        target.onSelected(key.readyOps());
      }
    } catch (IOException | RuntimeException | Error e) {
      rethrowIfFatal(e);
      target.onFailure(e);
    }
  }

  /** Reads the clock once per iteration, at the first ready key or when select returns. */
  private void refreshNow() {
    if (nowIsStale) {
      now = clock.getAsLong();
      nowIsStale = false;
    }
  }

  private void decodeResumed() {
    // A connection may pause again while decoding and be re-added: work on a snapshot.
    Connection[] snapshot = resumed.toArray(new Connection[0]);
    resumed.clear();
    for (Connection c : snapshot) {
      try {
        c.onResumed();
      } catch (RuntimeException | Error e) {
        rethrowIfFatal(e);
        c.onFailure(e);
      }
    }
  }

  private void runTasks() {
    for (int i = 0; i < MAX_TASKS_PER_ITERATION; i++) {
      Runnable task = tasks.poll();
      if (task == null) {
        return;
      }
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        rethrowIfFatal(e);
        LOG.error("task on the event loop failed", e);
      }
    }
  }

  private void closePending() {
    // Closing runs handlers that may flag more connections (a LEAVE to a client that is too slow).
    for (int i = 0; i < closing.size(); i++) {
      Connection c = closing.get(i);
      try {
        c.closeNow();
      } catch (RuntimeException | Error e) {
        rethrowIfFatal(e);
        LOG.error("error while closing a connection", e);
      }
    }
    closing.clear();
  }

  private void flushPending() {
    for (int i = 0; i < dirty.size(); i++) {
      Connection c = dirty.get(i);
      try {
        c.flush();
      } catch (RuntimeException | Error e) {
        rethrowIfFatal(e);
        c.onFailure(e);
      }
    }
    dirty.clear();
  }

  private void closeAll() {
    try {
      for (SelectionKey key : selector.keys()) {
        try {
          key.channel().close();
        } catch (IOException e) {
          LOG.debug("error closing a channel at shutdown", e);
        }
      }
      // A closed channel keeps its descriptor (a listening socket keeps accepting!) until its key
      // is deregistered, which happens in a select: do one before closing the selector.
      selector.selectNow();
      selector.close();
    } catch (IOException | ClosedSelectorException e) {
      LOG.debug("error closing the selector", e);
    }
  }

  private static void pauseAfterFailure() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
