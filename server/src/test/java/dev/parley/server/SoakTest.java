package dev.parley.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak test of issue 5: a thousand clients on one in-process server for a set time, signing in,
 * chatting, sending DMs, listing, asking for history, leaving and coming back; some read slowly,
 * some never read, some reset their connection in the middle of something, and a few flood one of
 * those that never read with DMs until it is dropped as too slow. Then:
 *
 * <ol>
 *   <li>the server's connection count and directory are exactly the clients still connected;
 *   <li>the heap after a GC is back near where it started;
 *   <li>every message confirmed with {@code C SENT} reached, exactly once and in seq order, every
 *       user online from before its send until after its confirmation, unless that user was dropped
 *       as too slow (reported) or reset on purpose;
 *   <li>the server logged no WARN or ERROR.
 * </ol>
 *
 * Not part of {@code mvn verify} (tag {@code soak}); run with {@code mvn -B -pl server -am test
 * -Psoak -Dsoak.seconds=30} (default 60 s, {@code -Dsoak.clients=1000}). The clients run on two
 * selector threads of the test's own; the server is the real one with SQLite in a temporary folder
 * and default limits but a 64 KiB queue. (The kernel's socket buffers hold megabytes more on
 * loopback, so only the flooded client is dropped within a short run.)
 */
@Tag("soak")
class SoakTest {
  private static final int CLIENTS = Integer.getInteger("soak.clients", 1000);
  private static final Duration DURATION = Duration.ofSeconds(Long.getLong("soak.seconds", 60));
  private static final long MAX_QUEUE_BYTES = 64 * 1024;
  private static final int WORKERS = 2;
  private static final Duration SETTLE = Duration.ofSeconds(60);

  /** Heap after GC may grow by this much over the run and still count as "back near its start". */
  private static final long HEAP_TOLERANCE_BYTES = 64L * 1024 * 1024;

  private static final long MS = 1_000_000L;
  private static final long SECOND = 1000 * MS;

  @TempDir Path dataDir;

  /** What a client does with what it is sent. */
  enum Kind {
    /** reads everything; chats, DMs, lists, asks for history, leaves and comes back */
    NORMAL('n'),
    /** as NORMAL, but takes at most a few KB per 100 ms from its socket */
    SLOW('s'),
    /** signs in and never reads again (until the test ends) */
    NEVER_READS('z'),
    /** as NORMAL, and often resets its connection in the middle of something */
    RESETS('r'),
    /**
     * sends 4 KB DMs to one client that never reads, as fast as its rate allowance lets it, so that
     * client is dropped as too slow within seconds despite the kernel's buffers
     */
    FLOODS('f');

    final char prefix; // of the names of clients of this kind

    Kind(char prefix) {
      this.prefix = prefix;
    }

    String nameOf(int id) {
      return String.format(Locale.ROOT, "%c%04d", prefix, id);
    }
  }

  /** How one connection's signed-in life ended. */
  enum End {
    CONNECTED,
    LEFT,
    RESET,
    DROPPED
  }

  /** One signed-in session of a client: from its C READY to its end. Worker thread, then main. */
  static final class Epoch {
    final String name;
    final Kind kind;
    final long readyAt;
    long endAt = Long.MAX_VALUE; // when the client sent C EX or reset; MAX_VALUE while online
    End end = End.CONNECTED;
    String dropReason;
    final BitSet received = new BitSet();
    long lastSeq;

    Epoch(String name, Kind kind, long readyAt) {
      this.name = name;
      this.kind = kind;
      this.readyAt = readyAt;
    }

    boolean readsEverything() {
      return kind != Kind.NEVER_READS;
    }
  }

  /** A message a client sent and the server confirmed. */
  record Confirmed(
      long seq, boolean direct, Epoch sender, String to, long sentAt, long confirmedAt) {}

  private final List<Epoch> epochs = Collections.synchronizedList(new ArrayList<>());
  private final Map<Long, Confirmed> confirmed = new ConcurrentHashMap<>();
  private final Map<Long, Integer> recipientsClaimed = new ConcurrentHashMap<>();
  private final Map<Long, String> senderOfSeq = new ConcurrentHashMap<>();
  private final Set<String> online = ConcurrentHashMap.newKeySet(); // names signed in now
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong deliveries = new AtomicLong();
  private final AtomicInteger resets = new AtomicInteger();
  private final AtomicInteger returns = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();
  private final Map<String, AtomicInteger> dropReasons = new ConcurrentHashMap<>();
  private final Map<String, String> leaveReasons = new ConcurrentHashMap<>(); // last C LEAVE seen

  // 0 running; 1 settling (actions finish, then a first final ping); 2 a second final ping, sent
  // once every client has answered the first, so no message is in flight any more; 3 closing
  private volatile int phase;
  private volatile long settleStartedAt;
  private volatile int port;

  private void violation(String what) {
    if (violations.size() < 50) {
      violations.add(what);
    }
  }

  @Test
  void aThousandClientsChatForAWhileAndEverythingAddsUp() throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long started = System.nanoTime();
    try (LogCapture log = LogCapture.attach();
        ChatServer server =
            ChatServer.start(
                ServerConfig.defaults().toBuilder()
                    .host("127.0.0.1")
                    .port(0)
                    .store(ServerConfig.StoreKind.SQLITE)
                    .dataDir(dataDir)
                    .maxQueueBytes(MAX_QUEUE_BYTES)
                    .build())) {
      port = server.port();
      long heapAtStart = heapAfterGc(memory);

      List<Worker> workers = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        workers.add(new Worker(w));
      }
      for (int i = 0; i < CLIENTS; i++) {
        Kind kind = kindOf(i);
        workers.get(i % WORKERS).add(new Client(i, kind, started + i * 2 * MS));
      }
      for (Worker w : workers) {
        w.thread.start();
      }

      long peakHeap = 0;
      long end = started + DURATION.toNanos();
      while (System.nanoTime() < end) {
        peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
        Thread.sleep(200); // the soak's own clock: sampling the heap, not waiting for a result
      }

      // Settle: no new actions; everyone finishes what it started, then two rounds of pings
      // prove that every delivery has been read.
      long settleStart = System.nanoTime();
      settleStartedAt = settleStart;
      for (int round = 0; round < 2; round++) {
        phase = 1 + round;
        for (Worker w : workers) {
          if (!w.settled[round].await(SETTLE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError(
                "worker "
                    + w.index
                    + " did not settle in round "
                    + round
                    + ": "
                    + w.unsettled()
                    + "; server: "
                    + server.openConnections()
                    + " connections, "
                    + server.usersOnline()
                    + " users; log: "
                    + log.warningsAndErrors());
          }
        }
      }
      for (Worker w : workers) {
        w.checkFailure();
      }
      double settleSeconds = (System.nanoTime() - settleStart) / 1e9;
      List<Client> all = new ArrayList<>();
      for (Worker w : workers) {
        all.addAll(w.clients);
      }
      all.sort((a, b) -> Long.compare(b.settledAfter, a.settledAfter));
      StringBuilder slowest = new StringBuilder();
      for (Client c : all.subList(0, Math.min(3, all.size()))) {
        slowest.append(
            String.format(
                Locale.ROOT,
                " %s %.1f s/%d lines",
                c.baseName,
                c.settledAfter / 1e9,
                c.linesWhileSettling));
      }

      int connected = 0;
      Set<String> names = new TreeSet<>();
      synchronized (epochs) {
        for (Epoch e : epochs) {
          if (e.end == End.CONNECTED) {
            connected++;
            names.add(e.name);
          }
        }
      }
      assertEquals(connected, server.openConnections(), "connections open on the server");
      assertEquals(connected, server.usersOnline(), "users online on the server");
      try (LineClient checker = LineClient.connect(port, "checker")) {
        checker.signIn("checker");
        checker.send("C LIST");
        String users = checker.expectStartsWith("C USERS ");
        List<String> listed = new ArrayList<>(Arrays.asList(users.split(" ")));
        listed = listed.subList(3, listed.size());
        Set<String> expected = new TreeSet<>(names);
        expected.add("checker");
        assertEquals(expected, new TreeSet<>(listed), "the directory");
        checker.send("C EX");
        checker.expect("C BYE goodbye");
      }

      long checks = checkDeliveries();
      long heapConnected = heapAfterGc(memory);

      phase = 3;
      for (Worker w : workers) {
        assertTrue(w.closed.await(30, TimeUnit.SECONDS), "worker " + w.index + " did not close");
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> server.openConnections() == 0 && server.usersOnline() == 0);
      for (Worker w : workers) {
        w.stop();
      }
      long heapEmpty = heapAfterGc(memory);

      String report =
          String.format(
              Locale.ROOT,
              "soak: %d clients for %d s (%.1f s in all, %.1f s to settle, slowest%s): %d messages confirmed, %d deliveries"
                  + " received, %d checked for presence; %d resets, %d returns, %d sign-in retries;"
                  + " dropped %s; %d still connected at the end; heap after GC %d MB at start,"
                  + " %d MB with them connected, %d MB after all left (peak %d MB before GC)",
              CLIENTS,
              DURATION.toSeconds(),
              (System.nanoTime() - started) / 1e9,
              settleSeconds,
              slowest,
              confirmed.size(),
              deliveries.get(),
              checks,
              resets.get(),
              returns.get(),
              retries.get(),
              new TreeMap<>(dropReasons),
              connected,
              heapAtStart >> 20,
              heapConnected >> 20,
              heapEmpty >> 20,
              peakHeap >> 20);
      System.out.println(report);
      assertEquals(List.of(), violations, report);
      assertTrue(
          heapConnected < heapAtStart + HEAP_TOLERANCE_BYTES,
          "heap with the clients connected: " + report);
      assertTrue(
          heapEmpty < heapAtStart + HEAP_TOLERANCE_BYTES / 2, "heap after all left: " + report);
      assertEquals(List.of(), log.warningsAndErrors(), "the server's log");
    }
  }

  private static Kind kindOf(int i) {
    int bucket = i % 20;
    if (bucket == 4 && i < 200) {
      return Kind.FLOODS;
    } else if (bucket == 0) {
      return Kind.SLOW;
    } else if (bucket == 1) {
      return Kind.NEVER_READS;
    } else if (bucket == 2 || bucket == 3) {
      return Kind.RESETS;
    }
    return Kind.NORMAL;
  }

  private static long heapAfterGc(MemoryMXBean memory) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /**
   * Every confirmed message against every epoch that should have it. Returns the number of
   * (message, recipient) pairs checked for presence.
   */
  private long checkDeliveries() {
    List<Epoch> all;
    synchronized (epochs) {
      all = new ArrayList<>(epochs);
    }
    Map<String, List<Epoch>> byName = new HashMap<>();
    for (Epoch e : all) {
      byName.computeIfAbsent(e.name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(e);
    }
    long checks = 0;
    for (Confirmed m : confirmed.values()) {
      int got = 0;
      for (Epoch e : all) {
        if (e.received.get((int) m.seq)) {
          got++;
        }
      }
      Integer claimed = recipientsClaimed.get(m.seq);
      if (claimed != null && got > claimed) {
        violation("seq " + m.seq + " received " + got + " times, sent to " + claimed);
      }
      List<Epoch> candidates =
          m.direct ? byName.getOrDefault(m.to.toLowerCase(Locale.ROOT), List.of()) : all;
      for (Epoch e : candidates) {
        if (e == m.sender
            || !e.readsEverything()
            || e.end == End.RESET
            || e.end == End.DROPPED
            || !(e.readyAt < m.sentAt && m.confirmedAt < e.endAt)) {
          continue;
        }
        checks++;
        if (!e.received.get((int) m.seq)) {
          violation(
              e.name
                  + " ("
                  + e.kind
                  + ", "
                  + e.end
                  + ") never got seq "
                  + m.seq
                  + (m.direct ? " (DM)" : " (PM)")
                  + " from "
                  + m.sender.name);
        }
      }
    }
    return checks;
  }

  // ---- the clients ----

  /** A selector thread driving its share of the clients; timers in a priority queue. */
  private final class Worker implements Runnable {
    final int index;
    final Thread thread;
    final Selector selector;
    final List<Client> clients = new ArrayList<>();
    final ByteBuffer in = ByteBuffer.allocate(16 * 1024); // every read is handled at once
    final PriorityQueue<long[]> timers =
        new PriorityQueue<>((a, b) -> Long.compare(a[0] - b[0], 0)); // {deadline, client}
    final CountDownLatch[] settled = {new CountDownLatch(1), new CountDownLatch(1)};
    final CountDownLatch closed = new CountDownLatch(1);
    volatile boolean running = true;
    volatile Throwable failure;
    int seenPhase;

    Worker(int index) throws IOException {
      this.index = index;
      this.selector = Selector.open();
      this.thread = new Thread(this, "soak-worker-" + index);
      thread.setDaemon(true);
    }

    void add(Client c) {
      c.worker = this;
      c.slot = clients.size();
      clients.add(c);
      c.wakeAt(c.firstAt);
    }

    void schedule(Client c, long at) {
      timers.add(new long[] {at, c.slot});
    }

    @Override
    public void run() {
      try {
        while (running) {
          long now = System.nanoTime();
          if (phase != seenPhase) {
            seenPhase = phase;
            for (Client c : clients) {
              c.onPhase(now);
            }
          }
          long[] t;
          while ((t = timers.peek()) != null && t[0] - now <= 0) {
            timers.poll();
            clients.get((int) t[1]).onTimer(now);
          }
          long wait = t == null ? 10 : Math.max(1, Math.min(10, (t[0] - now) / MS));
          selector.select(wait);
          for (SelectionKey key : selector.selectedKeys()) {
            ((Client) key.attachment()).onSelected(key);
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
        for (Client c : clients) {
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
      for (int round = 0; round < 2; round++) {
        int r = round;
        if (phase >= 1 + round
            && settled[round].getCount() > 0
            && clients.stream().allMatch(c -> c.barrier > r || c.state == State.AWAY)) {
          settled[round].countDown();
        }
      }
      if (phase >= 3
          && closed.getCount() > 0
          && clients.stream().allMatch(c -> c.channel == null)) {
        closed.countDown();
      }
    }

    String unsettled() {
      StringBuilder sb = new StringBuilder();
      int n = 0;
      for (Client c : clients) {
        if (c.barrier < phase && c.state != State.AWAY && n++ < 10) {
          sb.append(c.baseName)
              .append(' ')
              .append(c.state)
              .append(" waits for ")
              .append(c.pendingMarker)
              .append(", history left ")
              .append(c.historyLeft)
              .append(", unsent ")
              .append(c.out.size())
              .append(", interest ")
              .append(c.key == null || !c.key.isValid() ? -1 : c.key.interestOps())
              .append(", last lines ")
              .append(c.recent)
              .append(", sockets: ")
              .append(sockets(c))
              .append("; ");
        }
      }
      return sb.toString();
    }

    /** What the kernel says of both ends of a client's connection (for a failure message). */
    private String sockets(Client c) {
      try {
        int local = ((InetSocketAddress) c.channel.getLocalAddress()).getPort();
        Process ss =
            new ProcessBuilder(
                    "ss", "-tino", "( sport = :" + local + " or dport = :" + local + " )")
                .redirectErrorStream(true)
                .start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ss.waitFor(5, TimeUnit.SECONDS);
        return out.replaceAll("\\s+", " ");
      } catch (IOException | RuntimeException e) {
        return "(no ss: " + e + ")";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "(interrupted)";
      }
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

  enum State {
    AWAY, // not connected; may come back at its timer
    CONNECTING,
    HELLO, // connected, waiting for C HELLO
    SIGNING_IN, // sent C NICK
    READY, // signed in; an action may be in flight
    LEAVING // sent C EX, waiting for the server to close
  }

  /** One simulated user: reconnects as the same name, one epoch per signed-in session. */
  private final class Client {
    final int id;
    final Kind kind;
    final String baseName;
    final long firstAt;
    final SplittableRandom random;
    Worker worker;
    int slot;

    SocketChannel channel;
    SelectionKey key;
    State state = State.AWAY;
    Epoch epoch;
    byte[] line = new byte[256];
    int lineLength;
    final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    int historyLeft; // data lines still expected after a C HISTORY
    long lastHistorySeq;
    String pendingMarker; // the C PONG that ends the action in flight; null if none
    long textSentAt; // when the D line of the action in flight was sent
    boolean textDirect;
    String textTo;
    int counter;
    long readBudget; // SLOW: bytes it may still read before its next tick
    String byeReason;
    final ArrayDeque<String> recent = new ArrayDeque<>(); // the last lines, for failure messages
    int barrier; // final ping rounds answered
    long settledAfter; // nanos from then to its first final pong
    long linesWhileSettling;
    long timerAt; // the one timer this client cares about; earlier ones are stale

    Client(int id, Kind kind, long firstAt) {
      this.id = id;
      this.kind = kind;
      this.baseName = kind.nameOf(id);
      this.firstAt = firstAt;
      this.random = new SplittableRandom(id * 7919L + 17);
    }

    void wakeAt(long at) {
      timerAt = at;
      worker.schedule(this, at);
    }

    // ---- timers and phases ----

    void onTimer(long now) throws IOException {
      if (timerAt - now > 0) {
        return; // a stale timer
      }
      timerAt = Long.MIN_VALUE;
      switch (state) {
        case AWAY -> {
          if (phase == 0) {
            connect();
          }
        }
        case SIGNING_IN -> send("C NICK " + baseName); // after a 409
        case READY -> {
          if (kind == Kind.SLOW && phase == 0) {
            readBudget = Math.min(32 * 1024, readBudget + 512 + id % 8 * 256);
            updateInterest();
            wakeAt(now + 100 * MS);
          }
          if (phase == 0 && pendingMarker == null && kind != Kind.NEVER_READS && now >= actAt) {
            act(now);
          }
        }
        default -> {}
      }
    }

    long actAt;

    void onPhase(long now) throws IOException {
      if (state != State.READY) {
        return; // an away client stays away; one signing in or leaving finishes that first
      }
      if (phase == 1) {
        // Everyone reads everything from now on, and answers what it is owed.
        readBudget = Long.MAX_VALUE;
        updateInterest();
        if (pendingMarker == null) {
          finalPing();
        }
      } else if (phase == 2) {
        if (pendingMarker == null && barrier == 1) {
          finalPing();
        }
      } else if (phase == 3) {
        leave(now);
      }
    }

    /** The first or second final ping: its answer proves everything before it was read. */
    private void finalPing() throws IOException {
      pendingMarker = "final" + barrier;
      send("C PING " + pendingMarker);
    }

    // ---- actions ----

    void act(long now) throws IOException {
      if (kind == Kind.FLOODS) {
        String victim = Kind.NEVER_READS.nameOf(1);
        String marker = "a" + (++counter);
        if (online.contains(victim)) {
          sendText(now, true, victim, "C DM\nC " + victim, marker, 4000);
        } else {
          send("C LIST", "C PING " + marker);
        }
        pendingMarker = marker;
        return;
      }
      int roll = random.nextInt(100);
      if (kind == Kind.RESETS && roll < 30) {
        reset(now);
        return;
      }
      String marker = "a" + (++counter);
      if (roll < 55) {
        sendText(now, false, null, "C PM", marker);
      } else if (roll < 70) {
        String to = someoneElse();
        if (to == null) {
          send("C LIST", "C PING " + marker);
        } else {
          sendText(now, true, to, "C DM\nC " + to, marker);
        }
      } else if (roll < 80) {
        send("C LIST", "C PING " + marker);
      } else if (roll < 93) {
        int n = random.nextInt(10) == 0 ? 1000 : 1 + random.nextInt(50);
        send("C CH " + n, "C PING " + marker);
      } else {
        leave(now);
        return;
      }
      pendingMarker = marker;
    }

    private void sendText(long now, boolean direct, String to, String command, String marker)
        throws IOException {
      sendText(
          now,
          direct,
          to,
          command,
          marker,
          random.nextInt(10) == 0 ? 4000 : 20 + random.nextInt(300));
    }

    private void sendText(
        long now, boolean direct, String to, String command, String marker, int length)
        throws IOException {
      String text = epoch.name + "#" + counter + " " + "x".repeat(length);
      textSentAt = System.nanoTime();
      textDirect = direct;
      textTo = to;
      send(command, "D " + text, "C PING " + marker);
    }

    private String someoneElse() {
      for (int tries = 0; tries < 5; tries++) {
        int other = random.nextInt(CLIENTS);
        String name = kindOf(other).nameOf(other);
        if (!name.equals(baseName) && online.contains(name)) {
          return name;
        }
      }
      return null;
    }

    private void leave(long now) throws IOException {
      state = State.LEAVING;
      epoch.endAt = now;
      online.remove(epoch.name);
      send("C EX");
    }

    /** Resets in the middle of something: a line, a DM, a history replay, or nothing. */
    private void reset(long now) throws IOException {
      switch (random.nextInt(4)) {
        case 0 -> {
          send("C PM");
          sendPartial("D half a line that never ends"); // no LF: the server holds half a line
        }
        case 1 -> send("C DM", "C " + baseName);
        case 2 -> send("C CH 1000");
        default -> {}
      }
      // Trim what could not be sent: a reset discards it anyway.
      epoch.endAt = now;
      epoch.end = End.RESET;
      resets.incrementAndGet();
      online.remove(epoch.name);
      try {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
      } catch (IOException e) {
        // closing anyway
      }
      closeQuietly();
      comeBackLater(now);
    }

    private void comeBackLater(long now) {
      state = State.AWAY;
      if (phase == 0) {
        returns.incrementAndGet();
        wakeAt(now + (500 + random.nextInt(2500)) * MS);
      }
    }

    // ---- connection ----

    void connect() throws IOException {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      // No small SO_RCVBUF for the clients that do not read: a receive window smaller than the
      // loopback MSS makes the kernel's sender wait on its persist timer (silly-window avoidance),
      // so even a client that starts reading again gets its data only by the trickle.
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      state = State.CONNECTING;
      lineLength = 0;
      out.clear();
      historyLeft = 0;
      pendingMarker = null;
      byeReason = null;
      readBudget = kind == Kind.SLOW ? 8192 : Long.MAX_VALUE;
      if (channel.connect(new InetSocketAddress("127.0.0.1", port))) {
        key = channel.register(worker.selector, SelectionKey.OP_READ, this);
        state = State.HELLO;
      } else {
        key = channel.register(worker.selector, SelectionKey.OP_CONNECT, this);
      }
    }

    void onSelected(SelectionKey k) {
      try {
        if (!k.isValid()) {
          return;
        }
        if (k.isConnectable()) {
          channel.finishConnect();
          state = State.HELLO;
          updateInterest();
          return;
        }
        if (k.isWritable()) {
          flush();
        }
        if (k.isValid() && k.isReadable()) {
          read();
        }
      } catch (IOException e) {
        lost("read failed: " + e.getMessage());
      }
    }

    private void read() throws IOException {
      ByteBuffer in = worker.in;
      while (channel != null && readBudget > 0) {
        in.clear();
        if (readBudget < in.capacity()) {
          in.limit((int) readBudget);
        }
        int n = channel.read(in);
        if (n < 0) {
          lost(null);
          return;
        }
        if (n == 0) {
          return;
        }
        if (kind == Kind.SLOW && state == State.READY && phase == 0) {
          readBudget -= n;
        }
        in.flip();
        while (in.hasRemaining() && channel != null) {
          byte b = in.get();
          if (b == '\n') {
            onLine(new String(line, 0, lineLength, StandardCharsets.UTF_8));
            lineLength = 0;
          } else {
            if (lineLength == line.length) {
              line = Arrays.copyOf(line, line.length * 2);
            }
            line[lineLength++] = b;
          }
        }
        if (kind == Kind.NEVER_READS && state == State.READY && phase == 0) {
          return; // it stops here, with what it read up to its sign-in
        }
      }
      updateInterest();
    }

    private void onLine(String text) throws IOException {
      long now = System.nanoTime();
      if (phase >= 1) {
        linesWhileSettling++;
      }
      recent.addLast(text.length() > 80 ? text.substring(0, 80) : text);
      if (recent.size() > 4) {
        recent.removeFirst();
      }
      if (historyLeft > 0) {
        historyLeft--;
        long seq = Delivered.pm(text.startsWith("D DM ") ? toPm(text) : text).seq();
        if (seq <= lastHistorySeq) {
          violation(baseName + ": history out of order: " + seq + " after " + lastHistorySeq);
        }
        lastHistorySeq = seq;
        return;
      }
      if (text.startsWith("D ")) {
        delivered(text);
      } else if (text.startsWith("C HISTORY ")) {
        historyLeft = Integer.parseInt(text.substring("C HISTORY ".length()));
        lastHistorySeq = 0;
      } else if (text.startsWith("C PING ")) {
        send("C PONG " + text.substring("C PING ".length()));
      } else if (text.startsWith("C HELLO ")) {
        state = State.SIGNING_IN;
        send("C NICK " + baseName);
      } else if (text.startsWith("C READY ")) {
        signedIn(now);
      } else if (text.startsWith("C RETRY 409 ")) {
        retries.incrementAndGet();
        if (phase == 0) {
          wakeAt(now + (100 + random.nextInt(400)) * MS);
        } else {
          closeQuietly();
          state = State.AWAY;
        }
      } else if (text.startsWith("C SENT ")) {
        sent(text, now);
      } else if (text.startsWith("C PONG ") && text.substring(7).equals(pendingMarker)) {
        pendingMarker = null;
        if (text.startsWith("C PONG final")) {
          if (barrier == 0) {
            settledAfter = now - settleStartedAt;
          }
          barrier++;
          if (barrier == 1 && phase >= 2) {
            finalPing();
          }
        } else {
          actionDone(now);
        }
      } else if (text.startsWith("C BYE ")) {
        byeReason = text.substring("C BYE ".length());
      } else if (text.startsWith("C LEAVE ")) {
        String[] words = text.split(" ", 4);
        leaveReasons.put(words[2], words.length > 3 ? words[3] : "quit");
      } else if (text.startsWith("C RETRY ") || text.startsWith("C ERR 4")) {
        if (!text.startsWith("C ERR 404 ") && !text.startsWith("C ERR 412 ")) {
          violation(baseName + ": unexpected " + text);
        }
      } else if (!(text.startsWith("C JOIN ")
          || text.startsWith("C LEAVE ")
          || text.startsWith("C USERS ")
          || text.startsWith("C PROMPT ")
          || text.startsWith("C PONG "))) {
        violation(baseName + ": unexpected line " + text);
      }
    }

    private String toPm(String dm) {
      // "D DM seq time from to text" read as "D PM seq time from text" (only the seq is used)
      return "D PM" + dm.substring(4);
    }

    private void signedIn(long now) {
      state = State.READY;
      epoch = new Epoch(baseName, kind, now);
      epochs.add(epoch);
      online.add(baseName);
      actAt = now + (1000 + random.nextInt(17_000)) * MS;
      if (phase >= 1) {
        readBudget = Long.MAX_VALUE;
        try {
          finalPing();
        } catch (IOException e) {
          lost(e.getMessage());
        }
        return;
      }
      wakeAt(kind == Kind.SLOW ? now + 100 * MS : actAt);
      if (kind == Kind.NEVER_READS) {
        readBudget = 0;
        updateInterest();
      }
    }

    private void actionDone(long now) throws IOException {
      if (phase >= 1) {
        finalPing();
        return;
      }
      actAt = now + (kind == Kind.FLOODS ? 200 : 1000 + random.nextInt(17_000)) * MS;
      if (kind != Kind.SLOW) {
        wakeAt(actAt);
      }
    }

    private void delivered(String text) {
      Delivered d = text.startsWith("D PM ") ? Delivered.pm(text) : Delivered.dm(text);
      deliveries.incrementAndGet();
      if (epoch == null) {
        violation(baseName + ": a delivery before sign-in: " + text);
        return;
      }
      if (d.seq() <= epoch.lastSeq) {
        violation(epoch.name + ": seq " + d.seq() + " after " + epoch.lastSeq + " (order/twice)");
      }
      epoch.lastSeq = d.seq();
      epoch.received.set((int) d.seq());
      if (!d.text().startsWith(d.from() + "#")) {
        violation(epoch.name + ": seq " + d.seq() + " from " + d.from() + " has another's text");
      }
      if (d.to() != null && !d.to().equalsIgnoreCase(epoch.name)) {
        violation(epoch.name + ": got a DM for " + d.to());
      }
      String first = senderOfSeq.putIfAbsent(d.seq(), d.from());
      if (first != null && !first.equals(d.from())) {
        violation("seq " + d.seq() + " came from " + first + " and from " + d.from());
      }
    }

    private void sent(String text, long now) {
      String[] words = text.split(" ");
      long seq = Long.parseLong(words[3]);
      boolean direct = words[2].equals("DM");
      if (!direct) {
        recipientsClaimed.put(seq, Integer.parseInt(words[4]));
      }
      Confirmed c = new Confirmed(seq, direct, epoch, textTo, textSentAt, now);
      if (confirmed.putIfAbsent(seq, c) != null) {
        violation("seq " + seq + " confirmed twice");
      }
      String first = senderOfSeq.putIfAbsent(seq, epoch.name);
      if (first != null && !first.equals(epoch.name)) {
        violation("seq " + seq + " confirmed to " + epoch.name + " but came from " + first);
      }
    }

    // ---- output ----

    void send(String... lines) throws IOException {
      if (channel == null) {
        return;
      }
      StringBuilder sb = new StringBuilder();
      for (String l : lines) {
        sb.append(l).append('\n');
      }
      out.add(ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
      flush();
    }

    void sendPartial(String text) throws IOException {
      if (channel != null) {
        out.add(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        flush();
      }
    }

    private void flush() throws IOException {
      while (!out.isEmpty()) {
        ByteBuffer head = out.peek();
        channel.write(head);
        if (head.hasRemaining()) {
          break;
        }
        out.poll();
      }
      updateInterest();
    }

    private void updateInterest() {
      if (key == null || !key.isValid() || state == State.CONNECTING) {
        return;
      }
      int ops = readBudget > 0 ? SelectionKey.OP_READ : 0;
      if (!out.isEmpty()) {
        ops |= SelectionKey.OP_WRITE;
      }
      key.interestOps(ops);
    }

    /** The server closed the connection, or it broke. */
    private void lost(String why) {
      long now = System.nanoTime();
      closeQuietly();
      if (state == State.LEAVING) {
        if (epoch != null) {
          epoch.end = End.LEFT;
        }
      } else if (epoch != null && state == State.READY) {
        epoch.end = End.DROPPED;
        epoch.endAt = Math.min(epoch.endAt, now);
        // The goodbye is best effort (never after half a line); the others were told why.
        String reason =
            byeReason != null
                ? byeReason
                : leaveReasons.getOrDefault(epoch.name, "closed without a goodbye");
        epoch.dropReason = reason;
        dropReasons
            .computeIfAbsent(kind + ": " + reason, k -> new AtomicInteger())
            .incrementAndGet();
        boolean expected =
            reason.equals("too slow")
                || (reason.equals("closed without a goodbye") && kind != Kind.NORMAL)
                || (reason.equals("ping timeout") && kind == Kind.NEVER_READS);
        if (!expected) {
          violation(
              epoch.name
                  + " ("
                  + kind
                  + ") was dropped: "
                  + reason
                  + (why == null ? "" : " / " + why));
        }
      } else if (state != State.AWAY) {
        violation(baseName + " lost in state " + state + (why == null ? "" : ": " + why));
      }
      if (epoch != null) {
        online.remove(epoch.name);
      }
      epoch = null;
      comeBackLater(now);
    }

    void closeQuietly() {
      if (line.length > 256) {
        line = new byte[256]; // a long line's buffer is not kept while away
      }
      if (channel == null) {
        return;
      }
      if (key != null) {
        key.cancel();
      }
      try {
        channel.close();
      } catch (IOException e) {
        // closed anyway
      }
      channel = null;
      key = null;
    }
  }
}
