package dev.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bench's command line. Parsed by hand so that the jar needs nothing but the protocol module.
 *
 * @param host server address
 * @param port server port
 * @param clients subscribers (N): signed-in connections that only receive
 * @param publishers publishers (K): connections that send
 * @param messages messages each publisher sends in the measured phase (M)
 * @param size bytes of text in each message
 * @param window most messages a publisher has sent and not yet seen confirmed (W)
 * @param rate messages per second over all publishers, 0 for as fast as the window allows
 * @param warmup messages each publisher sends before the measured phase, not counted; in an idle
 *     run, connections opened and closed before the baseline reading
 * @param direct send direct messages (one recipient each) instead of public ones
 * @param redis speak RESP to a Redis server: SUBSCRIBE and PUBLISH instead of parley
 * @param idle open this many signed-in idle connections and report memory; 0 for a load run
 * @param hold seconds an idle run keeps its connections open after measuring
 * @param serverPid the server's process id, for CPU and memory readings; 0 if not given
 * @param json print the closing summary as JSON instead of key=value text
 * @param label free text copied into the summary (say which build or setting was measured)
 * @param timeoutSeconds seconds without progress after which a phase ends with what it has
 * @param quiet no progress lines
 * @param tls connect over TLS
 * @param ws speak WebSocket to the server's web port (one line per text message)
 * @param asIs in an idle run, read the server's memory as it is, as {@code ps} would, instead of
 *     asking a JVM to collect its garbage and trim its native heap before each reading
 */
record BenchOptions(
    String host,
    int port,
    int clients,
    int publishers,
    int messages,
    int size,
    int window,
    double rate,
    int warmup,
    boolean direct,
    boolean redis,
    int idle,
    int hold,
    long serverPid,
    boolean json,
    String label,
    int timeoutSeconds,
    boolean quiet,
    boolean tls,
    boolean ws,
    boolean asIs) {

  /** The smallest text that holds the run tag and the send time. */
  static final int MIN_SIZE = Payload.HEADER_BYTES;

  /** Seconds an {@code --as-is} idle run waits after the sign-ins before its reading. */
  static final int AS_IS_SETTLE_SECONDS = 15;

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar parley-bench.jar [--host H] [--port P] [options]",
          "",
          "load run (default):",
          "  --clients N       subscribers that sign in and receive (default 100)",
          "  --publishers K    publishers that send (default 1)",
          "  --messages M      messages per publisher in the measured phase (default 1000)",
          "  --size BYTES      text bytes per message, at least " + MIN_SIZE + " (default 64)",
          "  --window W        unconfirmed messages per publisher at most (default 64)",
          "  --rate R          messages/s over all publishers; 0 = as fast as the window allows",
          "  --warmup M        messages per publisher sent first, as fast as the window allows",
          "                    (whatever --rate says), and not measured (default 0)",
          "  --dm              direct messages, round robin over the subscribers",
          "  --redis           speak RESP to redis-server (SUBSCRIBE/PUBLISH) for comparison",
          "idle run:",
          "  --idle N          open N signed-in idle connections and report memory per connection",
          "  --hold S          keep them open S seconds after measuring (default 0)",
          "  --as-is           read the server's RSS as ps shows it: no GC or trim asked of a",
          "                    JVM; the reading after "
              + AS_IS_SETTLE_SECONDS
              + " s of idleness is the figure",
          "  --warmup N        first open and close N connections, so the baseline includes what",
          "                    the server sets up once (compiled code, allocator pools)",
          "common:",
          "  --server-pid PID  read the server's CPU time and memory from /proc/PID",
          "  --json            closing summary as JSON (default: one key=value line)",
          "  --label TEXT      copied into the summary",
          "  --timeout S       end a phase after S seconds without progress (default 10)",
          "  --quiet           no progress lines",
          "  --tls             connect over TLS (parley --tls-port, redis --tls-port); the",
          "                    certificate is not verified: the bench measures, it protects nothing",
          "  --ws              parley over WebSocket, as a browser: the upgrade at /ws of the",
          "                    server's --web-port, then one masked text message per line",
          "Defaults: --host 127.0.0.1 --port 5000 (6379 with --redis).");

  static BenchOptions parse(String[] args) {
    String host = "127.0.0.1";
    int port = -1;
    int clients = 100;
    int publishers = 1;
    int messages = 1000;
    int size = 64;
    int window = 64;
    double rate = 0;
    int warmup = 0;
    boolean direct = false;
    boolean redis = false;
    int idle = 0;
    int hold = 0;
    long serverPid = 0;
    boolean json = false;
    String label = "";
    int timeout = 10;
    boolean quiet = false;
    boolean tls = false;
    boolean ws = false;
    boolean asIs = false;
    List<String> rest = new ArrayList<>(List.of(args));
    while (!rest.isEmpty()) {
      String option = rest.remove(0);
      String name = option.toLowerCase(Locale.ROOT);
      switch (name) {
        case "--host" -> host = value(rest, name);
        case "--port" -> port = intValue(rest, name, 1, 65535);
        case "--clients" -> clients = intValue(rest, name, 0, 1_000_000);
        case "--publishers" -> publishers = intValue(rest, name, 1, 100_000);
        case "--messages" -> messages = intValue(rest, name, 1, Integer.MAX_VALUE);
        case "--size" -> size = intValue(rest, name, MIN_SIZE, 1 << 20);
        case "--window" -> window = intValue(rest, name, 1, 1 << 20);
        case "--rate" -> rate = doubleValue(rest, name);
        case "--warmup" -> warmup = intValue(rest, name, 0, Integer.MAX_VALUE);
        case "--dm" -> direct = true;
        case "--redis" -> redis = true;
        case "--idle" -> idle = intValue(rest, name, 1, 1_000_000);
        case "--hold" -> hold = intValue(rest, name, 0, 1_000_000);
        case "--server-pid" -> serverPid = intValue(rest, name, 1, Integer.MAX_VALUE);
        case "--json" -> json = true;
        case "--label" -> label = value(rest, name);
        case "--timeout" -> timeout = intValue(rest, name, 1, 3600);
        case "--quiet" -> quiet = true;
        case "--tls" -> tls = true;
        case "--ws" -> ws = true;
        case "--as-is" -> asIs = true;
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (direct && redis) {
      throw new IllegalArgumentException("--dm is for parley only (Redis has no direct messages)");
    }
    if (idle == 0 && clients == 0 && !direct) {
      throw new IllegalArgumentException("--clients must be at least 1");
    }
    if (ws && redis) {
      throw new IllegalArgumentException("--ws is for parley only (Redis has no WebSocket)");
    }
    if (direct && clients == 0) {
      throw new IllegalArgumentException("--dm needs at least one subscriber (--clients)");
    }
    if (asIs && idle == 0) {
      throw new IllegalArgumentException("--as-is is for idle runs (--idle N)");
    }
    if (port < 0) {
      port = redis ? 6379 : 5000;
    }
    return new BenchOptions(
        host,
        port,
        clients,
        publishers,
        messages,
        size,
        window,
        rate,
        warmup,
        direct,
        redis,
        idle,
        hold,
        serverPid,
        json,
        label,
        timeout,
        quiet,
        tls,
        ws,
        asIs);
  }

  private static String value(List<String> rest, String name) {
    if (rest.isEmpty()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return rest.remove(0);
  }

  private static int intValue(List<String> rest, String name, int min, int max) {
    String text = value(rest, name);
    int v;
    try {
      v = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a whole number, got '" + text + "'");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + v);
    }
    return v;
  }

  private static double doubleValue(List<String> rest, String name) {
    String text = value(rest, name);
    double v;
    try {
      v = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a number, got '" + text + "'");
    }
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be 0 or more, got " + text);
    }
    return v;
  }
}
