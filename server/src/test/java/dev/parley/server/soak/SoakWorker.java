package dev.parley.server.soak;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;

/**
 * A selector thread driving its share of the soak's clients; timers in a priority queue. It tells
 * its clients when the run's phase changes, and counts down a latch when all of them finished a
 * settling round, and when all of them closed. Its own thread, but for the latches and {@link
 * #stop()}.
 */
final class SoakWorker implements Runnable {
  final int index;
  private final ClientDriver driver;
  private final Thread thread;
  final Selector selector;
  final List<SoakClient> clients = new ArrayList<>();
  final ByteBuffer in = ByteBuffer.allocate(16 * 1024); // every read is handled at once
  private final PriorityQueue<long[]> timers =
      new PriorityQueue<>((a, b) -> Long.compare(a[0] - b[0], 0)); // {deadline, client}
  final CountDownLatch[] settled = {new CountDownLatch(1), new CountDownLatch(1)};
  final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile Throwable failure;
  private int seenPhase;

  SoakWorker(int index, ClientDriver driver) throws IOException {
    this.index = index;
    this.driver = driver;
    this.selector = Selector.open();
    this.thread = new Thread(this, "soak-worker-" + index);
    thread.setDaemon(true);
  }

  void add(SoakClient c) {
    c.attach(this, clients.size());
    clients.add(c);
  }

  void start() {
    thread.start();
  }

  void schedule(SoakClient c, long at) {
    timers.add(new long[] {at, c.slot()});
  }

  @Override
  public void run() {
    try {
      while (running) {
        long now = System.nanoTime();
        int phase = driver.phase();
        if (phase != seenPhase) {
          seenPhase = phase;
          for (SoakClient c : clients) {
            c.onPhase(now);
          }
        }
        long[] t;
        while ((t = timers.peek()) != null && t[0] - now <= 0) {
          timers.poll();
          clients.get((int) t[1]).onTimer(now);
        }
        long wait = t == null ? 10 : Math.max(1, Math.min(10, (t[0] - now) / ClientDriver.MS));
        selector.select(wait);
        for (SelectionKey key : selector.selectedKeys()) {
          ((SoakClient) key.attachment()).onSelected(key);
        }
        selector.selectedKeys().clear();
        checkLatches();
      }
    } catch (Throwable e) {
      failure = e;
      settled[0].countDown();
      settled[1].countDown();
      closed.countDown();
    } finally {
      for (SoakClient c : clients) {
        c.closeQuietly();
      }
      try {
        selector.close();
      } catch (IOException e) {
        // ending anyway
      }
    }
  }

  private void checkLatches() {
    int phase = driver.phase();
    for (int round = 0; round < 2; round++) {
      int r = round;
      if (phase >= 1 + round
          && settled[round].getCount() > 0
          && clients.stream().allMatch(c -> c.settledRound(r))) {
        settled[round].countDown();
      }
    }
    if (phase >= 3 && closed.getCount() > 0 && clients.stream().allMatch(SoakClient::isClosed)) {
      closed.countDown();
    }
  }

  /** The first ten clients that have not settled yet, and what they wait for. */
  String unsettled() {
    StringBuilder sb = new StringBuilder();
    int n = 0;
    int phase = driver.phase();
    for (SoakClient c : clients) {
      if (!c.settledRound(phase - 1) && n++ < 10) {
        sb.append(c.waitingFor()).append("; ");
      }
    }
    return sb.toString();
  }

  void checkFailure() {
    if (failure != null) {
      throw new AssertionError("worker " + index + " failed", failure);
    }
  }

  void stop() throws InterruptedException {
    running = false;
    selector.wakeup();
    thread.join(10_000);
    checkFailure();
  }
}
