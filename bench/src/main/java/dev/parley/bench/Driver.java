package dev.parley.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import tlschannel.NeedsReadException;
import tlschannel.NeedsWriteException;
import tlschannel.WouldBlockException;

/**
 * The bench's own event loop: one thread and one selector over every connection, as the server has.
 * Reads go into one reusable array and are parsed in place; publishers' requests are composed into
 * one direct buffer each and written once per loop iteration; nothing is allocated per message.
 * Driver thread only.
 */
final class Driver implements AutoCloseable, Protocol.Events {
  /** Connections being opened or signed in at once, so the server's backlog never overflows. */
  private static final int MAX_SIGNING_IN = 200;

  private static final int READ_BUFFER_BYTES = 256 * 1024;

  /** Requests a publisher's batch buffer holds at most, however large the window. */
  private static final int MAX_BATCH_REQUESTS = 1024;

  private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final BenchOptions options;
  private final Protocol protocol;
  private final InetSocketAddress address;
  private final Selector selector;
  private final PrintStream log;
  private final List<Client> clients = new ArrayList<>();
  private final List<Client> publishers = new ArrayList<>();
  private ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
  private final BenchTls tls; // null for plain TCP
  final Histogram latency = new Histogram();

  private long now = System.nanoTime();
  private int ready;
  private long lastBytesAt = now;
  private long lastProgressAt = now;
  private long lastReportAt = now;

  // this phase
  private boolean recording;
  private long deliveries; // to subscribers, of this run's messages
  private long confirms;
  private long publisherDeliveries; // other publishers' messages a publisher got
  private long phaseStart;
  private double nanosPerMessage; // per publisher, when the rate is set; else 0

  // whole run
  long errors;
  String firstError;
  long closedByServer;
  long foreignLines; // deliveries without this run's tag: history, earlier runs

  Driver(BenchOptions options, Protocol protocol, PrintStream log) throws IOException {
    this.options = options;
    this.protocol = protocol;
    this.address = new InetSocketAddress(options.host(), options.port());
    this.selector = Selector.open();
    this.log = log;
    this.tls = options.tls() ? new BenchTls() : null;
  }

  /**
   * Opens and signs in {@code subscribers} then {@code publishers}, at most {@link #MAX_SIGNING_IN}
   * at a time; throws if they are not all signed in after {@code timeoutNanos} without progress.
   */
  void connect(String[] subscriberNames, String[] publisherNames, long timeoutNanos)
      throws IOException {
    for (int i = 0; i < subscriberNames.length; i++) {
      clients.add(new Client(i, false, subscriberNames[i]));
    }
    for (int i = 0; i < publisherNames.length; i++) {
      Client p = new Client(i, true, publisherNames[i]);
      int requests = Math.max(1, Math.min(options.window(), MAX_BATCH_REQUESTS));
      p.batch = ByteBuffer.allocateDirect(requests * protocol.maxRequestBytes());
      clients.add(p);
      publishers.add(p);
    }
    int next = 0;
    long lastReady = System.nanoTime();
    int readyBefore = 0;
    while (ready < clients.size()) {
      while (next < clients.size() && next - ready < MAX_SIGNING_IN) {
        open(clients.get(next++));
      }
      selector.select(this::onKey, 50);
      now = System.nanoTime();
      if (ready != readyBefore) {
        readyBefore = ready;
        lastReady = now;
      } else if (now - lastReady > timeoutNanos) {
        throw new IOException(
            "only "
                + ready
                + " of "
                + clients.size()
                + " connections signed in"
                + (firstError == null ? "" : "; first error: " + firstError));
      }
      if (closedByServer > 0) {
        throw new IOException(
            "the server closed "
                + closedByServer
                + " connections while signing in"
                + (firstError == null ? "" : "; first error: " + firstError));
      }
      progress(() -> String.format(Locale.ROOT, "%d of %d signed in", ready, clients.size()));
    }
  }

  /** Runs the loop until nothing has arrived for {@code quietNanos} (sign-in notices settle). */
  void awaitQuiet(long quietNanos, long maxNanos) throws IOException {
    long start = System.nanoTime();
    lastBytesAt = start;
    while (true) {
      selector.select(this::onKey, 20);
      now = System.nanoTime();
      if (now - lastBytesAt >= quietNanos || now - start >= maxNanos) {
        return;
      }
    }
  }

  /** What one phase measured. */
  record Phase(
      long messages,
      long confirmed,
      long deliveries,
      long expectedDeliveries,
      long publisherDeliveries,
      double seconds,
      double serverCpuSeconds,
      double benchCpuSeconds) {}

  /**
   * Every publisher sends {@code perPublisher} messages; returns when every expected delivery and
   * confirmation arrived, or after the timeout without progress. Latencies are recorded when {@code
   * record} is set.
   */
  Phase run(long perPublisher, boolean record) throws IOException {
    int subscribers = clients.size() - publishers.size();
    long messages = perPublisher * publishers.size();
    long expected = options.direct() ? messages : messages * subscribers;
    deliveries = 0;
    confirms = 0;
    publisherDeliveries = 0;
    recording = record;
    latency.clear();
    for (Client p : publishers) {
      p.phaseFirst = p.sent;
      p.target = p.sent + perPublisher;
    }
    // A warm-up (not recorded) runs unpaced: it is there to get the server's code compiled, which
    // takes thousands of messages, not to be measured at the rate.
    nanosPerMessage = record && options.rate() > 0 ? 1e9 * publishers.size() / options.rate() : 0;
    long timeout = TimeUnit.SECONDS.toNanos(options.timeoutSeconds());
    double serverCpu0 = options.serverPid() > 0 ? ProcStat.cpuSeconds(options.serverPid()) : -1;
    double benchCpu0 = ProcStat.cpuSeconds(ProcessHandle.current().pid());
    phaseStart = System.nanoTime();
    now = phaseStart;
    lastProgressAt = phaseStart;
    lastReportAt = phaseStart;
    long selectMillis = nanosPerMessage > 0 ? 1 : 100;
    pump();
    while (deliveries < expected || confirms < messages) {
      selector.select(this::onKey, selectMillis);
      now = System.nanoTime();
      pump();
      if (now - lastProgressAt > timeout) {
        break;
      }
      progress(
          () ->
              String.format(
                  Locale.ROOT,
                  "%.1f s: %,d deliveries (%.2f M/s), %,d of %,d messages confirmed",
                  (now - phaseStart) / 1e9,
                  deliveries,
                  deliveries / ((now - phaseStart) / 1e3),
                  confirms,
                  messages));
    }
    double serverCpu1 = options.serverPid() > 0 ? ProcStat.cpuSeconds(options.serverPid()) : -1;
    double benchCpu1 = ProcStat.cpuSeconds(ProcessHandle.current().pid());
    recording = false;
    return new Phase(
        messages,
        confirms,
        deliveries,
        expected,
        publisherDeliveries,
        Math.max(1e-9, (lastProgressAt - phaseStart) / 1e9),
        serverCpu0 < 0 || serverCpu1 < 0 ? -1 : serverCpu1 - serverCpu0,
        benchCpu1 - benchCpu0);
  }

  // ---- the loop ----

  private void open(Client c) throws IOException {
    SocketChannel channel = SocketChannel.open();
    channel.configureBlocking(false);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    c.channel = channel;
    c.io = tls == null ? channel : tls.over(channel, address);
    boolean connected = channel.connect(address);
    c.key = channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT);
    c.key.attach(c);
    if (connected) {
      send(c, protocol.hello(c));
    }
  }

  private void onKey(SelectionKey key) {
    Client c = (Client) key.attachment();
    try {
      if (!key.isValid()) {
        return;
      }
      int ops = key.readyOps();
      if ((ops & SelectionKey.OP_CONNECT) != 0) {
        if (c.channel.finishConnect()) {
          key.interestOps(SelectionKey.OP_READ);
          send(c, protocol.hello(c));
        }
        return;
      }
      if ((ops & SelectionKey.OP_WRITE) != 0) {
        writePending(c);
      }
      if ((ops & SelectionKey.OP_READ) != 0) {
        read(c);
      }
    } catch (IOException e) {
      onError(c, e.toString());
      lost(c);
    }
  }

  private void read(Client c) throws IOException {
    // Over TLS a read returns one record at a time, and records already taken from the socket
    // are not reported by select again: read until nothing is left.
    while (readOnce(c) > 0 && c.io != c.channel && !c.closed) {
      // next record
    }
    if (c.writeWaitsForRead && !c.closed) {
      c.writeWaitsForRead = false;
      writePending(c);
    }
  }

  private int readOnce(Client c) throws IOException {
    ByteBuffer b = readBuffer;
    b.clear();
    if (c.carryLength > 0) {
      b.put(c.carry, 0, c.carryLength);
    }
    int n;
    try {
      n = c.io.read(b);
    } catch (NeedsWriteException e) {
      c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
      return 0;
    } catch (WouldBlockException e) {
      return 0;
    }
    if (n < 0) {
      lost(c);
      return n;
    }
    if (n == 0) {
      return 0;
    }
    now = System.nanoTime();
    lastBytesAt = now;
    int end = b.position();
    byte[] a = b.array();
    int consumed = protocol.parse(c, a, 0, end, this);
    int left = end - consumed;
    if (left == 0) {
      c.carryLength = 0;
    } else {
      c.keep(a, consumed, left);
      if (left == a.length) {
        readBuffer = ByteBuffer.allocate(2 * a.length); // one frame longer than the buffer
      }
    }
    return n;
  }

  /**
   * Composes and writes what each publisher may send now: its window, and the rate, allow. Each
   * message carries the time it is written, so latency is from the write to the read.
   */
  private void pump() throws IOException {
    long stampNow = System.nanoTime();
    for (int i = 0; i < publishers.size(); i++) {
      Client p = publishers.get(i);
      if (p.pending != null || p.closed) {
        continue; // wait for OP_WRITE
      }
      long n = Math.min(p.target - p.sent, options.window() - p.inFlight);
      if (nanosPerMessage > 0) {
        long due = (long) ((stampNow - phaseStart) / nanosPerMessage) + 1;
        n = Math.min(n, due - (p.sent - p.phaseFirst));
      }
      if (n <= 0) {
        continue;
      }
      ByteBuffer out = p.batch;
      out.clear();
      int max = protocol.maxRequestBytes();
      while (n > 0 && out.remaining() >= max) {
        protocol.putRequest(out, p, p.sent, stampNow);
        p.sent++;
        p.inFlight++;
        n--;
      }
      out.flip();
      write(p, out);
    }
  }

  private void send(Client c, byte[] bytes) throws IOException {
    if (c.pending != null) {
      ByteBuffer joined = ByteBuffer.allocate(c.pending.remaining() + bytes.length);
      joined.put(c.pending).put(bytes).flip();
      c.pending = joined;
      return;
    }
    write(c, ByteBuffer.wrap(bytes));
  }

  private void write(Client c, ByteBuffer out) throws IOException {
    writeSome(c, out);
    if (out.hasRemaining() || c.tlsHoldsOutput) {
      c.pending = out;
      awaitWritable(c);
    }
  }

  private void writePending(Client c) throws IOException {
    if (c.pending == null) {
      c.key.interestOps(SelectionKey.OP_READ);
      return;
    }
    writeSome(c, c.pending);
    if (!c.pending.hasRemaining() && !c.tlsHoldsOutput) {
      c.pending = null;
      c.key.interestOps(SelectionKey.OP_READ);
    } else {
      awaitWritable(c);
    }
  }

  /** Writes what the socket takes now; over TLS, notes what the handshake waits for. */
  private static void writeSome(Client c, ByteBuffer out) throws IOException {
    try {
      c.io.write(out);
      c.tlsHoldsOutput = false;
    } catch (NeedsReadException e) {
      c.writeWaitsForRead = true;
    } catch (NeedsWriteException e) {
      c.tlsHoldsOutput = true;
    }
  }

  /** OP_WRITE, unless the handshake waits for the server's bytes (read then resumes the write). */
  private static void awaitWritable(Client c) {
    c.key.interestOps(
        c.writeWaitsForRead ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
  }

  private void lost(Client c) {
    if (c.closed) {
      return;
    }
    c.closed = true;
    closedByServer++;
    c.key.cancel();
    try {
      c.channel.close();
    } catch (IOException e) {
      // already gone
    }
  }

  private void progress(java.util.function.Supplier<String> line) {
    if (!options.quiet() && now - lastReportAt >= PROGRESS_NANOS) {
      lastReportAt = now;
      log.println("parley-bench: " + line.get());
    }
  }

  // ---- Protocol.Events ----

  @Override
  public void onReady(Client c) {
    if (!c.ready) {
      c.ready = true;
      ready++;
    }
  }

  @Override
  public void onDelivery(Client c, byte[] a, int textAt, int length) {
    if (!protocol.payload.isOurs(a, textAt, length)) {
      foreignLines++;
      return;
    }
    if (c.publisher) {
      publisherDeliveries++;
      return;
    }
    deliveries++;
    lastProgressAt = now;
    if (recording) {
      long sentAt = Payload.sendNanos(a, textAt);
      if (sentAt >= 0) {
        latency.record(now - sentAt);
      }
    }
  }

  @Override
  public void onConfirm(Client c) {
    if (c.inFlight > 0) {
      c.inFlight--;
    }
    confirms++;
    lastProgressAt = now;
  }

  @Override
  public void onError(Client c, String line) {
    errors++;
    if (firstError == null) {
      firstError = c.name + ": " + line;
    }
  }

  @Override
  public void reply(Client c, byte[] bytes) {
    try {
      send(c, bytes);
    } catch (IOException e) {
      onError(c, e.toString());
      lost(c);
    }
  }

  @Override
  public void close() {
    for (Client c : clients) {
      if (c.channel != null) {
        try {
          c.channel.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
