package dev.parley.net;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS handshakes under way on one server, and the crypto they may spend: at most {@code
 * maxInProgress} at once and {@code maxPerAddress} from one client address (a connection beyond
 * either is closed when accepted, before it costs anything), and the engines' delegated tasks (key
 * exchange, signatures) handed to the crypto threads no more than they have threads at once. The
 * rest wait here, on the loop, and before a task goes to a thread its connection is asked whether
 * its peer is still there: a client that sent its hello and hung up (a replayed hello, a scanner)
 * costs a read, never the crypto.
 *
 * <p>A handshake does not take a {@code --max-clients} seat while it is under way ({@link
 * Acceptor}): these bounds hold it instead, so a flood of handshakes never turns plain users away.
 * Loop thread only, but for the tasks themselves, which run on {@code pool}.
 */
public final class TlsHandshakes {
  private static final Logger LOG = LoggerFactory.getLogger(TlsHandshakes.class);

  /** Refusals are logged at most about once in this long, with a count. */
  static final long REPORT_NANOS = 1_000_000_000L;

  /** Closing a connection beyond the bounds: the accept that made it gives up silently. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused() {
      super("too many TLS handshakes under way");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // thrown a thousand times a second in a flood, never shown
    }
  }

  /** A delegated task waiting for a crypto thread, and whose it is. */
  private record Waiting(TlsLayer layer, Runnable task) {}

  private final int maxInProgress;
  private final int maxPerAddress;
  private final int threads;
  private final Executor pool;
  private final Executor loop;
  private final LongSupplier clock; // the loop's, to sweep at most once an iteration
  private final Map<InetAddress, Set<TlsLayer>> byAddress = new HashMap<>();
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private final ThrottledLog refusals; // null when nothing is ever refused
  private int inProgress;
  private int running; // tasks handed to the pool and not yet back
  private long lastSweep = -1; // loop time of the last sweep
  private long refused; // connections closed at accept, beyond the bounds
  private long tasksRun;
  private long tasksSkipped; // tasks of connections whose peer had gone: no crypto spent

  /**
   * @param maxInProgress handshakes under way at once, on every TLS port together
   * @param maxPerAddress of those, from one client address
   * @param threads how many tasks {@code pool} runs at once
   * @param pool where delegated tasks run (never the loop)
   * @param loop the loop, where a finished task is reported
   */
  public TlsHandshakes(
      int maxInProgress, int maxPerAddress, int threads, Executor pool, EventLoop loop) {
    this(
        maxInProgress,
        maxPerAddress,
        threads,
        pool,
        loop,
        loop::now,
        new ThrottledLog(
            loop, REPORT_NANOS, LOG, "{} more TLS connections refused in the last {} s"));
  }

  private TlsHandshakes(
      int maxInProgress,
      int maxPerAddress,
      int threads,
      Executor pool,
      Executor loop,
      LongSupplier clock,
      ThrottledLog refusals) {
    if (maxInProgress < 1 || maxPerAddress < 1 || threads < 1) {
      throw new IllegalArgumentException("TLS handshake bounds and threads must be at least 1");
    }
    this.maxInProgress = maxInProgress;
    this.maxPerAddress = maxPerAddress;
    this.threads = threads;
    this.pool = pool;
    this.loop = loop;
    this.clock = clock;
    this.refusals = refusals;
  }

  /** No bound, every task run on {@code pool} at once (tests of the layer alone). */
  static TlsHandshakes unbounded(Executor pool, Executor loop) {
    int any = Integer.MAX_VALUE;
    return new TlsHandshakes(any, any, any, pool, loop, () -> 0, null);
  }

  /**
   * A new handshake: counted, or refused with {@link Refused} beyond a bound. A handshake admitted
   * is ended by exactly one {@link #ended} call.
   *
   * <p>At a bound, the handshakes under way that it counts are first asked whether their peers are
   * still there (once a loop iteration at most): in a flood of hellos that hang up at once most of
   * them have gone, though their connections have not been read yet, and they give their places to
   * the newcomer, which may be a real user behind the flood's own address.
   */
  void admit(TlsLayer layer) throws Refused {
    InetAddress address = layer.address();
    if (!hasRoomFor(address) && clock.getAsLong() != lastSweep) {
      lastSweep = clock.getAsLong();
      sweep(inProgress >= maxInProgress ? null : address);
    }
    if (!hasRoomFor(address)) {
      refused++;
      refusals.info(
          "refusing a TLS connection from {}: {} handshakes under way, {} from that address"
              + " (--max-tls-handshakes {}, --max-tls-handshakes-per-address {})",
          address.getHostAddress(),
          inProgress,
          fromAddress(address),
          maxInProgress,
          maxPerAddress);
      throw new Refused();
    }
    inProgress++;
    byAddress.computeIfAbsent(address, a -> new LinkedHashSet<>()).add(layer);
  }

  private boolean hasRoomFor(InetAddress address) {
    return inProgress < maxInProgress && fromAddress(address) < maxPerAddress;
  }

  private int fromAddress(InetAddress address) {
    Set<TlsLayer> layers = byAddress.get(address);
    return layers == null ? 0 : layers.size();
  }

  /** Ends the handshakes from {@code address} (null: from anywhere) whose peers have gone. */
  private void sweep(InetAddress address) {
    List<TlsLayer> gone = new ArrayList<>();
    for (Set<TlsLayer> layers :
        address == null ? byAddress.values() : List.of(byAddress.get(address))) {
      for (TlsLayer layer : layers) {
        if (layer.goneWhileIdle()) {
          gone.add(layer);
        }
      }
    }
    for (TlsLayer layer : gone) {
      layer.peerLeft(); // ends it here at once; its connection closes in this iteration
    }
  }

  /** A handshake {@link #admit}ted finished, or its connection closed. */
  void ended(TlsLayer layer) {
    Set<TlsLayer> layers = byAddress.get(layer.address());
    if (layers != null && layers.remove(layer)) {
      inProgress--;
      if (layers.isEmpty()) {
        byAddress.remove(layer.address());
      }
    }
  }

  /**
   * Runs {@code task} for {@code layer} off the loop once a thread is free and if its peer is still
   * there; {@link TlsLayer#taskDone} or {@link TlsLayer#peerLeft} says which on the loop.
   */
  void run(TlsLayer layer, Runnable task) {
    waiting.add(new Waiting(layer, task));
    dispatch();
  }

  private void dispatch() {
    while (running < threads && !waiting.isEmpty()) {
      Waiting next = waiting.poll();
      if (!next.layer().stillWanted()) {
        tasksSkipped++;
        next.layer().peerLeft();
        continue;
      }
      running++;
      tasksRun++;
      next.layer().taskStarted();
      pool.execute(
          () -> {
            try {
              next.task().run();
            } finally {
              loop.execute(
                  () -> {
                    running--;
                    next.layer().taskDone();
                    dispatch();
                  });
            }
          });
    }
  }

  /** Handshakes under way now. */
  public int inProgress() {
    return inProgress;
  }

  /** Connections closed when accepted because a bound was reached, since start. */
  public long refused() {
    return refused;
  }

  /** Delegated tasks handed to the crypto threads, since start. */
  public long tasksRun() {
    return tasksRun;
  }

  /** Delegated tasks dropped because their peer had gone, since start. */
  public long tasksSkipped() {
    return tasksSkipped;
  }
}
