package dev.parley.server.soak;

import static dev.parley.server.soak.ClientDriver.MS;

import dev.parley.server.Delivered;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One simulated user of the soak: connects, signs in, acts on a timer as its {@link Kind} says,
 * leaves or resets, and comes back as the same name, one {@link Epoch} per signed-in session. It
 * reports what it sees to the {@link Ledger}. Its worker's thread only.
 */
final class SoakClient {
  enum State {
    AWAY, // not connected; may come back at its timer
    CONNECTING,
    HELLO, // connected, waiting for C HELLO
    SIGNING_IN, // sent C NICK
    READY, // signed in; an action may be in flight
    LEAVING // sent C EX, waiting for the server to close
  }

  private final int id;
  private final Kind kind;
  final String baseName;
  private final long firstAt;
  private final SplittableRandom random;
  private final ClientDriver driver;
  private final Ledger ledger;
  private SoakWorker worker;
  private int slot;

  private SocketChannel channel;
  private SelectionKey key;
  private State state = State.AWAY;
  private Epoch epoch;
  private byte[] line = new byte[256];
  private int lineLength;
  private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
  private int historyLeft; // data lines still expected after a C HISTORY
  private long lastHistorySeq;
  private String pendingMarker; // the C PONG that ends the action in flight; null if none
  private long textSentAt; // when the D line of the action in flight was sent
  private String textTo;
  private int counter;
  private long readBudget; // SLOW: bytes it may still read before its next tick
  private String byeReason;
  private final ArrayDeque<String> recent = new ArrayDeque<>(); // the last lines, for failures
  private int barrier; // final ping rounds answered
  private long settledAfter; // nanos from then to its first final pong
  private long linesWhileSettling;
  private long timerAt; // the one timer this client cares about; earlier ones are stale
  private long actAt;

  SoakClient(int id, Kind kind, long firstAt, ClientDriver driver) {
    this.id = id;
    this.kind = kind;
    this.baseName = kind.nameOf(id);
    this.firstAt = firstAt;
    this.random = new SplittableRandom(id * 7919L + 17);
    this.driver = driver;
    this.ledger = driver.ledger;
  }

  /** Joins {@code worker} as its client number {@code slot}, and sets its first timer. */
  void attach(SoakWorker worker, int slot) {
    this.worker = worker;
    this.slot = slot;
    wakeAt(firstAt);
  }

  int slot() {
    return slot;
  }

  private void wakeAt(long at) {
    timerAt = at;
    worker.schedule(this, at);
  }

  // ---- what the worker and the report ask ----

  /** Whether it answered final ping round {@code round} (0 or 1), or is away and owes nothing. */
  boolean settledRound(int round) {
    return barrier > round || state == State.AWAY;
  }

  boolean isClosed() {
    return channel == null;
  }

  /** How long it took to answer its first final ping, and how many lines it read meanwhile. */
  SoakReport.Settled settled() {
    return new SoakReport.Settled(baseName, settledAfter, linesWhileSettling);
  }

  /** What it is waiting for, for a failure message. */
  String waitingFor() {
    return baseName
        + ' '
        + state
        + " waits for "
        + pendingMarker
        + ", history left "
        + historyLeft
        + ", unsent "
        + out.size()
        + ", interest "
        + (key == null || !key.isValid() ? -1 : key.interestOps())
        + ", last lines "
        + recent
        + ", sockets: "
        + sockets();
  }

  /** What the kernel says of both ends of its connection (for a failure message). */
  private String sockets() {
    try {
      int local = ((InetSocketAddress) channel.getLocalAddress()).getPort();
      Process ss =
          new ProcessBuilder("ss", "-tino", "( sport = :" + local + " or dport = :" + local + " )")
              .redirectErrorStream(true)
              .start();
      String text = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      ss.waitFor(5, TimeUnit.SECONDS);
      return text.replaceAll("\\s+", " ");
    } catch (IOException | RuntimeException e) {
      return "(no ss: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  // ---- timers and phases ----

  void onTimer(long now) throws IOException {
    if (timerAt - now > 0) {
      return; // a stale timer
    }
    timerAt = Long.MIN_VALUE;
    switch (state) {
      case AWAY -> {
        if (driver.running()) {
          connect();
        }
      }
      case SIGNING_IN -> send("C NICK " + baseName); // after a 409
      case READY -> {
        if (kind == Kind.SLOW && driver.running()) {
          readBudget = Math.min(32 * 1024, readBudget + 512 + id % 8 * 256);
          updateInterest();
          wakeAt(now + 100 * MS);
        }
        if (driver.running() && pendingMarker == null && kind != Kind.NEVER_READS && now >= actAt) {
          act(now);
        }
      }
      default -> {}
    }
  }

  void onPhase(long now) throws IOException {
    if (state != State.READY) {
      return; // an away client stays away; one signing in or leaving finishes that first
    }
    if (driver.phase() == 1) {
      // Everyone reads everything from now on, and answers what it is owed.
      readBudget = Long.MAX_VALUE;
      updateInterest();
      if (pendingMarker == null) {
        finalPing();
      }
    } else if (driver.phase() == 2) {
      if (pendingMarker == null && barrier == 1) {
        finalPing();
      }
    } else if (driver.phase() == 3) {
      leave(now);
    }
  }

  /** The first or second final ping: its answer proves everything before it was read. */
  private void finalPing() throws IOException {
    pendingMarker = "final" + barrier;
    send("C PING " + pendingMarker);
  }

  // ---- actions ----

  private void act(long now) throws IOException {
    if (kind == Kind.FLOODS) {
      String victim = Kind.NEVER_READS.nameOf(1);
      String marker = "a" + (++counter);
      if (ledger.isOnline(victim)) {
        sendText(victim, "C DM\nC " + victim, marker, 4000);
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
      sendText(null, "C PM", marker);
    } else if (roll < 70) {
      String to = someoneElse();
      if (to == null) {
        send("C LIST", "C PING " + marker);
      } else {
        sendText(to, "C DM\nC " + to, marker);
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

  private void sendText(String to, String command, String marker) throws IOException {
    sendText(to, command, marker, random.nextInt(10) == 0 ? 4000 : 20 + random.nextInt(300));
  }

  /** A PM ({@code to} null) or DM of about {@code length} bytes, then a ping that ends it. */
  private void sendText(String to, String command, String marker, int length) throws IOException {
    String text = epoch.name + "#" + counter + " " + "x".repeat(length);
    textSentAt = System.nanoTime();
    textTo = to;
    send(command, "D " + text, "C PING " + marker);
  }

  private String someoneElse() {
    for (int tries = 0; tries < 5; tries++) {
      String name = Kind.nameOfClient(random.nextInt(driver.clientCount));
      if (!name.equals(baseName) && ledger.isOnline(name)) {
        return name;
      }
    }
    return null;
  }

  private void leave(long now) throws IOException {
    state = State.LEAVING;
    epoch.endAt = now;
    ledger.offline(epoch.name);
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
    epoch.end = Epoch.End.RESET;
    ledger.reset();
    ledger.offline(epoch.name);
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
    if (driver.running()) {
      ledger.comingBack();
      wakeAt(now + (500 + random.nextInt(2500)) * MS);
    }
  }

  // ---- connection ----

  private void connect() throws IOException {
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
    if (channel.connect(new InetSocketAddress("127.0.0.1", driver.port))) {
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
      if (kind == Kind.SLOW && state == State.READY && driver.running()) {
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
      if (kind == Kind.NEVER_READS && state == State.READY && driver.running()) {
        return; // it stops here, with what it read up to its sign-in
      }
    }
    updateInterest();
  }

  private void onLine(String text) throws IOException {
    long now = System.nanoTime();
    if (driver.settling()) {
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
        ledger.violation(baseName + ": history out of order: " + seq + " after " + lastHistorySeq);
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
      ledger.signInRetried();
      if (driver.running()) {
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
          settledAfter = now - driver.settleStartedAt();
        }
        barrier++;
        if (barrier == 1 && driver.phase() >= 2) {
          finalPing();
        }
      } else {
        actionDone(now);
      }
    } else if (text.startsWith("C BYE ")) {
      byeReason = text.substring("C BYE ".length());
    } else if (text.startsWith("C LEAVE ")) {
      String[] words = text.split(" ", 4);
      ledger.leaveSeen(words[2], words.length > 3 ? words[3] : "quit");
    } else if (text.startsWith("C RETRY ") || text.startsWith("C ERR 4")) {
      if (!text.startsWith("C ERR 404 ") && !text.startsWith("C ERR 412 ")) {
        ledger.violation(baseName + ": unexpected " + text);
      }
    } else if (!(text.startsWith("C JOIN ")
        || text.startsWith("C LEAVE ")
        || text.startsWith("C USERS ")
        || text.startsWith("C PROMPT ")
        || text.startsWith("C PONG "))) {
      ledger.violation(baseName + ": unexpected line " + text);
    }
  }

  private static String toPm(String dm) {
    // "D DM seq time from to text" read as "D PM seq time from text" (only the seq is used)
    return "D PM" + dm.substring(4);
  }

  private void signedIn(long now) {
    state = State.READY;
    epoch = new Epoch(baseName, kind, now);
    ledger.signedIn(epoch);
    actAt = now + (1000 + random.nextInt(17_000)) * MS;
    if (driver.settling()) {
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
    if (driver.settling()) {
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
    if (epoch == null) {
      ledger.deliveredBeforeSignIn(baseName, text);
    } else {
      ledger.delivered(epoch, d);
    }
  }

  private void sent(String text, long now) {
    String[] words = text.split(" "); // C SENT kind seq [recipients]
    long seq = Long.parseLong(words[3]);
    boolean direct = words[2].equals("DM");
    ledger.confirmed(
        new Confirmed(seq, direct, epoch, textTo, textSentAt, now),
        direct ? null : Integer.valueOf(words[4]));
  }

  // ---- output ----

  private void send(String... lines) throws IOException {
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

  private void sendPartial(String text) throws IOException {
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
        epoch.end = Epoch.End.LEFT;
      }
    } else if (epoch != null && state == State.READY) {
      ledger.dropped(epoch, now, byeReason, why);
    } else if (state != State.AWAY) {
      ledger.violation(baseName + " lost in state " + state + (why == null ? "" : ": " + why));
    }
    if (epoch != null) {
      ledger.offline(epoch.name);
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
