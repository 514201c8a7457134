package dev.parley.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * {@code parley-bench}: a load generator for parley, like redis-benchmark is for Redis. A load run
 * signs in N subscribers and K publishers, has the publishers send M messages each with at most W
 * unconfirmed, and reports deliveries per second, latency percentiles and missing deliveries. An
 * idle run opens N signed-in connections and reports the server's memory per connection. With
 * {@code --redis} the same runs speak RESP to a Redis server, for comparison.
 *
 * <p>Progress goes to stderr once a second; human-readable results and then one summary line
 * ({@code key=value}, or JSON with {@code --json}) go to stdout.
 */
public final class Main {
  static final int EXIT_USAGE = 2;
  static final int EXIT_FAILED = 1;
  private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

  private Main() {}

  public static void main(String[] args) {
    BenchOptions options;
    try {
      if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
        System.out.println(BenchOptions.USAGE);
        return;
      }
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("parley-bench: " + e.getMessage() + " (try --help)");
      System.exit(EXIT_USAGE);
      return;
    }
    try {
      Summary summary = options.idle() > 0 ? idleRun(options) : loadRun(options);
      System.out.println(options.json() ? summary.toJson() : summary.toText());
    } catch (IOException e) {
      System.err.println("parley-bench: " + e.getMessage());
      System.exit(EXIT_FAILED);
    }
  }

  /** {@code lines} as they are, or over WebSocket with {@code --ws}. */
  private static Protocol overWebSocket(BenchOptions o, Protocol lines) {
    return o.ws() ? new WebSocketProtocol(lines, o.host(), o.port()) : lines;
  }

  static Summary loadRun(BenchOptions o) throws IOException {
    PrintStream out = System.out;
    PrintStream log = System.err;
    Payload payload = new Payload(Payload.randomTag());
    String[] subscribers = names(payload.tag() + "s", o.clients());
    String[] publishers = names(payload.tag() + "p", o.publishers());
    Protocol protocol =
        o.redis()
            ? new RedisProtocol(payload, o.size(), "bench-" + payload.tag())
            : overWebSocket(o, new ParleyProtocol(payload, o.size(), o.direct(), subscribers));
    try (Driver driver = new Driver(o, protocol, log)) {
      long signIn = System.nanoTime();
      driver.connect(subscribers, publishers, TimeUnit.SECONDS.toNanos(o.timeoutSeconds()));
      driver.awaitQuiet(TimeUnit.MILLISECONDS.toNanos(300), TimeUnit.SECONDS.toNanos(120));
      double signInSeconds = (System.nanoTime() - signIn) / 1e9;
      if (o.warmup() > 0) {
        Driver.Phase w = driver.run(o.warmup(), false);
        (o.quiet() ? NOWHERE : log)
            .printf(
                Locale.ROOT,
                "parley-bench: warm-up: %,d messages, %,d deliveries in %.2f s%n",
                w.confirmed(),
                w.deliveries(),
                w.seconds());
        driver.awaitQuiet(TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.SECONDS.toNanos(30));
      }
      Driver.Phase p = driver.run(o.messages(), true);
      Histogram h = driver.latency;
      long missing = Math.max(0, p.expectedDeliveries() - p.deliveries());
      double deliveryRate = p.deliveries() / p.seconds();
      double messageRate = p.confirmed() / p.seconds();
      out.printf(
          Locale.ROOT,
          "%s %s: %d subscribers, %d publishers x %d messages of %d bytes, window %d%s%n",
          protocol.name(),
          o.direct() ? "DM" : "PM",
          o.clients(),
          o.publishers(),
          o.messages(),
          o.size(),
          o.window(),
          o.rate() > 0 ? String.format(Locale.ROOT, ", rate %.0f msg/s", o.rate()) : "");
      out.printf(
          Locale.ROOT,
          "  %,d deliveries in %.3f s: %,.0f deliveries/s, %,.0f messages/s%n",
          p.deliveries(),
          p.seconds(),
          deliveryRate,
          messageRate);
      out.printf(
          Locale.ROOT,
          "  latency us: p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  (%,d samples)%n",
          h.quantile(0.50) / 1e3,
          h.quantile(0.99) / 1e3,
          h.quantile(0.999) / 1e3,
          h.max() / 1e3,
          h.count());
      out.printf(
          Locale.ROOT,
          "  missing %,d of %,d expected deliveries; %,d of %,d messages confirmed; %d errors%s%n",
          missing,
          p.expectedDeliveries(),
          p.confirmed(),
          p.messages(),
          driver.errors,
          driver.firstError == null ? "" : " (first: " + driver.firstError + ")");
      double benchNs = p.deliveries() == 0 ? 0 : p.benchCpuSeconds() * 1e9 / p.deliveries();
      out.printf(
          Locale.ROOT,
          "  bench CPU %.2f s (%.0f%% of one core, %.0f ns per delivery)%n",
          p.benchCpuSeconds(),
          100 * p.benchCpuSeconds() / p.seconds(),
          benchNs);
      double serverNs = -1;
      if (p.serverCpuSeconds() >= 0 && p.deliveries() > 0) {
        serverNs = p.serverCpuSeconds() * 1e9 / p.deliveries();
        out.printf(
            Locale.ROOT,
            "  server CPU %.2f s (%.0f%% of one core, %.0f ns per delivery)%n",
            p.serverCpuSeconds(),
            100 * p.serverCpuSeconds() / p.seconds(),
            serverNs);
      }
      return new Summary()
          .put("target", protocol.name())
          .put("kind", o.direct() ? "dm" : "pm")
          .put("clients", o.clients())
          .put("publishers", o.publishers())
          .put("messages", o.messages())
          .put("size", o.size())
          .put("window", o.window())
          .put("rate", o.rate())
          .put("warmup", o.warmup())
          .put("deliveries", p.deliveries())
          .put("expected", p.expectedDeliveries())
          .put("missing", missing)
          .put("confirmed", p.confirmed())
          .put("seconds", p.seconds())
          .put("deliveries_per_s", Math.round(deliveryRate))
          .put("messages_per_s", Math.round(messageRate))
          .put("p50_us", h.quantile(0.50) / 1e3)
          .put("p99_us", h.quantile(0.99) / 1e3)
          .put("p999_us", h.quantile(0.999) / 1e3)
          .put("max_us", h.max() / 1e3)
          .put("server_cpu_s", p.serverCpuSeconds())
          .put("server_ns_per_delivery", serverNs)
          .put("bench_cpu_s", p.benchCpuSeconds())
          .put("bench_ns_per_delivery", benchNs)
          .put("errors", driver.errors)
          .put("sign_in_s", signInSeconds)
          .put("label", o.label());
    }
  }

  static Summary idleRun(BenchOptions o) throws IOException {
    PrintStream out = System.out;
    PrintStream log = System.err;
    Payload payload = new Payload(Payload.randomTag());
    String[] names = names(payload.tag() + "i", o.idle());
    Protocol protocol =
        o.redis()
            ? new RedisProtocol(payload, o.size(), "bench-" + payload.tag())
            : overWebSocket(o, new ParleyProtocol(payload, o.size(), false, names));
    long pid = o.serverPid();
    boolean jvm = pid > 0 && ProcStat.isJvm(pid);
    if (o.warmup() > 0) {
      // One round of connections first, so that what a server sets up once (compiled code, the
      // allocator's pools) is in the baseline and the figure is what each connection adds.
      try (Driver warm = new Driver(o, protocol, log)) {
        warm.connect(
            names(payload.tag() + "w", o.warmup()),
            new String[0],
            TimeUnit.SECONDS.toNanos(o.timeoutSeconds()));
        warm.awaitQuiet(TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(300));
      }
      (o.quiet() ? NOWHERE : log)
          .printf("parley-bench: warm-up: %,d connections opened and closed%n", o.warmup());
      pause(3000); // the server says goodbye to them
    }
    // As is: nothing asks the JVM for anything, so its heap figures are not read either (the
    // class histogram collects garbage first).
    boolean collect = jvm && !o.asIs();
    long before = -1;
    long heapBefore = collect ? ProcStat.liveHeapBytes(pid) : -1;
    if (pid > 0) {
      // As is, the baseline settles as long as the final reading does: a server just started may
      // still be shrinking (collections, native heap trims), which would make a connection look
      // cheaper than it is.
      before =
          o.asIs()
              ? lastOf(rssEverySecond(pid, BenchOptions.AS_IS_SETTLE_SECONDS))
              : settledRss(pid, jvm);
    }
    try (Driver driver = new Driver(o, protocol, log)) {
      long start = System.nanoTime();
      driver.connect(names, new String[0], TimeUnit.SECONDS.toNanos(o.timeoutSeconds()));
      driver.awaitQuiet(TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(300));
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(
          Locale.ROOT,
          "%s: %,d idle connections signed in within %.1f s%n",
          protocol.name(),
          o.idle(),
          seconds);
      Summary summary =
          new Summary()
              .put("target", protocol.name())
              .put("kind", "idle")
              .put("connections", o.idle())
              .put("warmup", o.warmup())
              .put("sign_in_s", seconds);
      if (pid > 0) {
        long heapAfter = collect ? ProcStat.liveHeapBytes(pid) : -1;
        long after;
        long peak = -1;
        String how = collect ? " (each after a full GC)" : "";
        if (o.asIs()) {
          // The figure is the last of one reading a second; the highest shows a server that only
          // shrinks late doing so.
          long[] readings = rssEverySecond(pid, BenchOptions.AS_IS_SETTLE_SECONDS);
          after = lastOf(readings);
          peak = LongStream.of(readings).max().orElse(after);
          how =
              String.format(
                  Locale.ROOT,
                  " (as is, %d s after the last sign-in; %,d KiB at most before that)",
                  BenchOptions.AS_IS_SETTLE_SECONDS,
                  peak / 1024);
        } else {
          after = settledRss(pid, jvm);
        }
        double perConnection = (after - before) / (double) o.idle();
        out.printf(
            Locale.ROOT,
            "  server RSS %,d KiB before, %,d KiB after%s: %.0f bytes (%.2f KiB) per connection%n",
            before / 1024,
            after / 1024,
            how,
            perConnection,
            perConnection / 1024);
        summary
            .put("rss_before_kib", before / 1024)
            .put("rss_after_kib", after / 1024)
            .put("bytes_per_connection", Math.round(perConnection))
            .put("gc_before_reading", collect);
        if (peak >= 0) {
          summary.put("rss_peak_kib", peak / 1024);
        }
        if (heapBefore > 0 && heapAfter > 0) {
          double heapPer = (heapAfter - heapBefore) / (double) o.idle();
          out.printf(
              Locale.ROOT,
              "  live heap %,d KiB before, %,d KiB after: %.0f bytes per connection%n",
              heapBefore / 1024,
              heapAfter / 1024,
              heapPer);
          summary.put("heap_bytes_per_connection", Math.round(heapPer));
        }
      } else {
        out.println(
            "  give --server-pid PID to measure the server's memory per connection (or compare"
                + " the heap and rss figures of the server's stats line before and after)");
      }
      summary.put("errors", driver.errors).put("label", o.label());
      if (o.hold() > 0) {
        log.printf("parley-bench: holding the connections for %d s%n", o.hold());
        driver.awaitQuiet(TimeUnit.SECONDS.toNanos(o.hold()), TimeUnit.SECONDS.toNanos(o.hold()));
      }
      return summary;
    }
  }

  /**
   * RSS once the process has settled: for a JVM after a full GC and a native heap trim (so that
   * memory the collector and the JIT compiler freed is not counted), and a moment to shrink.
   */
  private static long settledRss(long pid, boolean jvm) {
    if (jvm) {
      ProcStat.collectGarbage(pid);
      ProcStat.trimNativeHeap(pid);
    }
    // G1 gives the regions a full GC freed back to the system in the background, in steps: take
    // the lowest reading over a few seconds.
    long rss = Long.MAX_VALUE;
    for (int i = 0; i < (jvm ? 10 : 2); i++) {
      pause(500);
      rss = Math.min(rss, ProcStat.rssBytes(pid));
    }
    return rss;
  }

  private static long lastOf(long[] readings) {
    return readings[readings.length - 1];
  }

  /** {@code count} readings of the process's RSS, one a second, the first a second from now. */
  private static long[] rssEverySecond(long pid, int count) {
    long[] readings = new long[count];
    for (int i = 0; i < count; i++) {
      pause(1000);
      readings[i] = ProcStat.rssBytes(pid);
    }
    return readings;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String[] names(String prefix, int n) {
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = prefix + i;
    }
    return names;
  }
}
