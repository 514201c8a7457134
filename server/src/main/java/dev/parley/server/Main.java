package dev.parley.server;

import ch.qos.logback.classic.LoggerContext;
import dev.parley.cli.BadValueException;
import dev.parley.cli.OptionLayers;
import dev.parley.cli.OptionValues;
import dev.parley.cli.Version;
import dev.parley.protocol.ClientLine;
import dev.parley.server.classroom.ClassroomConfig;
import dev.parley.server.classroom.ClassroomServer;
import dev.parley.server.store.StoreException;
import dev.parley.server.tls.TlsConfig;
import dev.parley.server.web.WebConfig;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code parley-server [--host H] [--port P] [options]} or {@code parley-server H P}; {@code --mode
 * classroom [--relay] [--once]} runs the X/Y exercise instead of the chat service. Bad arguments
 * print one line and exit 2; a server that cannot start prints one line and exits 1.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  static final int EXIT_USAGE = 2;
  static final int EXIT_FAILED = 1;
  static final String PROGRAM = "parley-server";

  /** The positional arguments stand for these options, in order. */
  static final List<String> POSITIONAL = List.of("host", "port");

  // Upper bounds of the numeric options: each value must fit where it goes, unnarrowed.
  private static final int MAX_LINE_LIMIT = 16 * 1024 * 1024;
  private static final long NO_LIMIT = Long.MAX_VALUE;
  private static final int MAX_RATE = 1_000_000;
  private static final long MAX_SECONDS = 365L * 24 * 3600;
  private static final long MAX_QUIET_MILLIS = 60_000;
  private static final long MAX_PAIR_TIMEOUT_SECONDS = 24 * 3600;

  private Main() {}

  /**
   * What the command line, the environment and the config file decided, together.
   *
   * @param classroom the classroom settings, or null in chat mode
   * @param tls the TLS port's settings, or null without one
   * @param web the web port's settings, or null without one
   * @param metricsPort the port of the metrics endpoint, or null when it is off
   */
  record Settings(
      OptionLayers layers,
      ServerConfig config,
      ClassroomConfig classroom,
      TlsConfig tls,
      WebConfig web,
      LogSettings log,
      Integer metricsPort) {}

  public static void main(String[] args) {
    Options options = options();
    Settings settings;
    OptionLayers layers = null;
    try {
      CommandLine given = new DefaultParser().parse(options, args);
      if (given.hasOption("help")) {
        printHelp();
        return;
      }
      if (given.hasOption("version")) {
        System.out.println(Version.current().line(PROGRAM));
        return;
      }
      layers = OptionLayers.resolve(options, args, System.getenv(), POSITIONAL);
      settings = settings(layers);
    } catch (BadValueException e) {
      usageError(layers == null ? e.getMessage() : layers.explain(e));
      return;
    } catch (ParseException | IllegalArgumentException e) {
      usageError(e.getMessage());
      return;
    }
    if (layers.commandLine().hasOption(OptionLayers.PRINT_CONFIG)) {
      layers.describe().forEach(System.out::println);
      return;
    }
    try {
      settings.log().apply();
    } catch (IllegalStateException e) {
      failedToStart(settings.config(), e);
      return;
    }
    List<String> heapFlags = LeanHeap.apply();
    if (!heapFlags.isEmpty()) {
      LOG.debug("heap settings: {}", String.join(", ", heapFlags));
    }
    if (settings.classroom() != null) {
      runClassroom(settings.classroom());
      return;
    }
    ServerConfig config = settings.config();
    try {
      TlsConfig tls = settings.tls();
      config = FileDescriptorBudget.capMaxClients(config, tls == null ? 0 : tls.maxHandshakes());
      ChatServer server = ChatServer.with(config).tls(tls).web(settings.web()).start();
      MetricsEndpoint metrics = null;
      if (settings.metricsPort() != null) {
        try {
          metrics = MetricsEndpoint.start(config.host(), settings.metricsPort(), server);
        } catch (IOException e) {
          server.close();
          throw new IOException(
              "metrics port " + settings.metricsPort() + ": " + e.getMessage(), e);
        }
        LOG.info("metrics on http://{}:{}/metrics", config.host(), metrics.address().getPort());
      }
      String version = Version.current().line(PROGRAM);
      if (server.address() != null) {
        LOG.info(
            "parley listening on {}:{} ({})",
            server.address().getHostString(),
            server.port(),
            version);
      }
      if (server.tlsAddress() != null) {
        LOG.info(
            "parley listening for TLS on {}:{} ({})",
            server.tlsAddress().getHostString(),
            server.tlsAddress().getPort(),
            version);
        // Certificate renewals: kill -HUP reloads the pair for the handshakes to come.
        Signals.on("HUP", server::reloadTls);
      }
      if (server.webAddress() != null) {
        LOG.info(
            "parley serving the page on {}://{}:{}/ ({})",
            settings.web().tls() ? "https" : "http",
            server.webAddress().getHostString(),
            server.webAddress().getPort(),
            version);
      }
      MetricsEndpoint endpoint = metrics;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    LOG.info("shutting down");
                    if (endpoint != null) {
                      endpoint.close();
                    }
                    server.shutdown(SHUTDOWN_GRACE);
                    LOG.info("stopped");
                    flushLog();
                    // SIGTERM and Ctrl-C are the normal way to stop the server: report success.
                    Runtime.getRuntime().halt(0);
                  },
                  "parley-shutdown"));
      exitIfTheLoopDies(server);
    } catch (IOException | StoreException e) {
      failedToStart(config, e);
    }
  }

  /** Reads every setting from the resolved layers; a bad value throws, naming the option. */
  static Settings settings(OptionLayers layers) throws ParseException {
    CommandLine line = layers.commandLine();
    ServerConfig config = configFrom(line);
    String metrics = line.getOptionValue("metrics-port");
    ClassroomConfig classroom = classroomConfigFrom(line, config);
    TlsConfig tls = tlsConfigFrom(line, classroom != null);
    return new Settings(
        layers,
        config,
        classroom,
        tls,
        webConfigFrom(line, classroom != null, tls),
        LogSettings.from(line),
        metrics == null ? null : intValue("metrics-port", metrics, 0, 65535));
  }

  /** A command line, variable or config file that cannot be used: one line and exit code 2. */
  private static void usageError(String message) {
    System.err.println(PROGRAM + ": " + message + " (try --help)");
    System.exit(EXIT_USAGE);
  }

  /**
   * Waits on the main thread, which has nothing else to do, for the event loop to stop. A loop
   * ended by a {@link VirtualMachineError} (out of memory) has closed every connection and serves
   * no one: rather than linger as a process that accepts nobody, the server lets the store commit
   * what it holds and exits 1, so that a supervisor starts a fresh one. A loop stopped by the
   * shutdown hook returns here while the hook finishes and exits 0.
   */
  private static void exitIfTheLoopDies(ChatServer server) {
    Throwable fatal;
    try {
      fatal = server.awaitLoopStopped();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (fatal == null) {
      return;
    }
    System.err.println("parley-server: stopped by " + fatal + " on the event loop; exiting");
    server.close();
    flushLog();
    Runtime.getRuntime().halt(EXIT_FAILED);
  }

  /** One line on standard error and exit code 1, in either mode. */
  private static void failedToStart(ServerConfig config, Exception e) {
    System.err.println(
        "parley-server: cannot start on "
            + config.host()
            + ":"
            + config.port()
            + ": "
            + e.getMessage());
    flushLog();
    System.exit(EXIT_FAILED);
  }

  /**
   * The log is written by a thread of its own (logback.xml) so that a slow or stopped standard
   * error can never hold up the event loop; this writes out what is still queued before the process
   * ends, since {@code halt} runs no more hooks.
   */
  private static void flushLog() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
      ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }
  }

  /**
   * Classroom mode: the server's lines go to standard output (UTF-8), the log to standard error.
   * With {@code --once} the process exits 0 after its pair; otherwise it runs until stopped.
   */
  private static void runClassroom(ClassroomConfig config) {
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    ClassroomServer server;
    try {
      server = ClassroomServer.start(config, out);
    } catch (IOException e) {
      failedToStart(config.server(), e);
      return;
    }
    LOG.info("classroom mode listening on {}:{}", server.address().getHostString(), server.port());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  out.flush();
                  flushLog();
                  Runtime.getRuntime().halt(0);
                },
                "parley-shutdown"));
    if (config.once()) {
      server.finished().join();
      System.exit(0);
    }
  }

  /**
   * The classroom settings when {@code --mode classroom} was given, else null. The classroom
   * options are refused in chat mode rather than silently ignored.
   */
  static ClassroomConfig classroomConfigFrom(CommandLine line, ServerConfig server)
      throws ParseException {
    String mode = line.getOptionValue("mode", "chat");
    switch (mode.toLowerCase(Locale.ROOT)) {
      case "chat":
        for (String option : List.of("relay", "once", "quiet-ms", "pair-timeout")) {
          if (line.hasOption(option)) {
            throw new ParseException("--" + option + " needs --mode classroom");
          }
        }
        return null;
      case "classroom":
        long quietMillis =
            longValue(
                "quiet-ms",
                line.getOptionValue(
                    "quiet-ms", str(ClassroomConfig.DEFAULT_QUIET_PERIOD.toMillis())),
                1,
                MAX_QUIET_MILLIS);
        long pairTimeoutSeconds =
            longValue(
                "pair-timeout",
                line.getOptionValue(
                    "pair-timeout", str(ClassroomConfig.NO_PAIR_TIMEOUT.toSeconds())),
                0,
                MAX_PAIR_TIMEOUT_SECONDS);
        return new ClassroomConfig(
            server,
            line.hasOption("relay"),
            line.hasOption("once"),
            Duration.ofMillis(quietMillis),
            Duration.ofSeconds(pairTimeoutSeconds));
      default:
        throw new ParseException("--mode is chat or classroom, got '" + mode + "'");
    }
  }

  /**
   * The web port's settings when {@code --web-port} was given, else null. Its options without the
   * port, in classroom mode, or {@code --web-tls} without the TLS options are refused.
   */
  static WebConfig webConfigFrom(CommandLine line, boolean classroom, TlsConfig tls)
      throws ParseException {
    if (!line.hasOption("web-port")) {
      for (String option : List.of("web-origin", "web-tls")) {
        if (line.hasOption(option)) {
          throw new ParseException("--" + option + " needs --web-port");
        }
      }
      return null;
    }
    if (classroom) {
      throw new ParseException("--web-port is for chat mode");
    }
    if (line.hasOption("web-tls") && tls == null) {
      throw new ParseException("--web-tls needs the TLS options (--tls-port and its certificate)");
    }
    List<String> origins = new ArrayList<>();
    String given = line.getOptionValue("web-origin");
    if (given != null) {
      for (String origin : given.split(",")) {
        if (!origin.isBlank()) {
          origins.add(origin.strip());
        }
      }
    }
    return WebConfig.on(intValue("web-port", line.getOptionValue("web-port"), 0, 65535))
        .withOrigins(origins)
        .withTls(line.hasOption("web-tls"));
  }

  /**
   * The TLS port's settings when {@code --tls-port} was given, else null. TLS options without a TLS
   * port, or in classroom mode (which stays plain), are refused rather than ignored.
   */
  static TlsConfig tlsConfigFrom(CommandLine line, boolean classroom) throws ParseException {
    List<String> options =
        List.of(
            "tls-cert",
            "tls-key",
            "tls-keystore",
            "tls-only",
            "max-tls-handshakes",
            "max-tls-handshakes-per-address");
    // Checked before anything else, so that a bad value is called that, TLS port or not.
    int maxHandshakes =
        intValue(
            "max-tls-handshakes",
            line.getOptionValue("max-tls-handshakes", str(TlsConfig.DEFAULT_MAX_HANDSHAKES)),
            1,
            MAX_RATE);
    int maxHandshakesPerAddress =
        intValue(
            "max-tls-handshakes-per-address",
            line.getOptionValue(
                "max-tls-handshakes-per-address",
                str(TlsConfig.DEFAULT_MAX_HANDSHAKES_PER_ADDRESS)),
            1,
            MAX_RATE);
    if (!line.hasOption("tls-port")) {
      for (String option : options) {
        if (line.hasOption(option)) {
          throw new ParseException("--" + option + " needs --tls-port");
        }
      }
      return null;
    }
    if (classroom) {
      throw new ParseException("--tls-port is for chat mode; classroom mode is plain TCP");
    }
    int port = intValue("tls-port", line.getOptionValue("tls-port"), 0, 65535);
    TlsConfig tls;
    if (line.hasOption("tls-keystore")) {
      if (line.hasOption("tls-cert") || line.hasOption("tls-key")) {
        throw new ParseException("give either --tls-keystore or --tls-cert and --tls-key");
      }
      String password = System.getenv(TlsConfig.KEYSTORE_PASSWORD_ENV);
      tls =
          TlsConfig.keystore(
              port, Path.of(line.getOptionValue("tls-keystore")), password == null ? "" : password);
    } else if (line.hasOption("tls-cert") && line.hasOption("tls-key")) {
      tls =
          TlsConfig.pem(
              port,
              Path.of(line.getOptionValue("tls-cert")),
              Path.of(line.getOptionValue("tls-key")));
    } else {
      throw new ParseException("--tls-port needs --tls-cert and --tls-key, or --tls-keystore");
    }
    return tls.tlsOnly(line.hasOption("tls-only"))
        .withHandshakeLimits(maxHandshakes, maxHandshakesPerAddress);
  }

  /** How long a shutdown waits for clients to take their last lines. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  static ServerConfig configFrom(CommandLine line) throws ParseException {
    ServerConfig d = ServerConfig.defaults();
    List<String> positional = line.getArgList();
    if (positional.size() > 2) {
      throw new ParseException("too many arguments: " + String.join(" ", positional));
    }
    String host = line.getOptionValue("host", positional.isEmpty() ? d.host() : positional.get(0));
    String portText =
        line.getOptionValue(
            "port", positional.size() < 2 ? String.valueOf(d.port()) : positional.get(1));
    ServerConfig.StoreKind store;
    String storeText = line.getOptionValue("store", "sqlite");
    switch (storeText.toLowerCase(Locale.ROOT)) {
      case "sqlite":
        store = ServerConfig.StoreKind.SQLITE;
        break;
      case "memory":
        store = ServerConfig.StoreKind.MEMORY;
        break;
      default:
        throw new ParseException("--store is sqlite or memory, got '" + storeText + "'");
    }
    return d.toBuilder()
        .host(host)
        .port(intValue("port", portText, 0, 65535))
        .maxLineBytes(
            intValue(
                "max-line",
                line.getOptionValue("max-line", str(d.maxLineBytes())),
                16,
                MAX_LINE_LIMIT))
        .maxQueueBytes(
            longValue(
                "max-queue",
                line.getOptionValue("max-queue", str(d.maxQueueBytes())),
                64,
                NO_LIMIT))
        .maxClients(
            intValue(
                "max-clients",
                line.getOptionValue("max-clients", str(d.maxClients())),
                1,
                Integer.MAX_VALUE))
        .historyOnJoin(
            intValue(
                "history-on-join",
                line.getOptionValue("history-on-join", str(d.historyOnJoin())),
                0,
                ClientLine.ChatHistory.MAX_COUNT))
        .store(store)
        .dataDir(Path.of(line.getOptionValue("data-dir", d.dataDir().toString())))
        .accounts(line.hasOption("accounts"))
        .maxRate(
            longValue(
                "max-rate", line.getOptionValue("max-rate", str((long) d.maxRate())), 0, MAX_RATE))
        .rateBurst(
            intValue(
                "rate-burst", line.getOptionValue("rate-burst", str(d.rateBurst())), 1, MAX_RATE))
        .idleTimeout(
            Duration.ofSeconds(
                longValue(
                    "idle-timeout",
                    line.getOptionValue("idle-timeout", str(d.idleTimeout().toSeconds())),
                    0,
                    MAX_SECONDS)))
        .maxPasswordChecks(
            intValue(
                "max-password-checks",
                line.getOptionValue("max-password-checks", str(d.maxPasswordChecks())),
                1,
                MAX_RATE))
        .maxPasswordChecksPerAddress(
            intValue(
                "max-password-checks-per-address",
                line.getOptionValue(
                    "max-password-checks-per-address", str(d.maxPasswordChecksPerAddress())),
                1,
                MAX_RATE))
        .maxFailedSignInsPerMinute(
            intValue(
                "max-failed-sign-ins-per-minute",
                line.getOptionValue(
                    "max-failed-sign-ins-per-minute", str(d.maxFailedSignInsPerMinute())),
                1,
                MAX_RATE))
        .build();
  }

  private static String str(long value) {
    return String.valueOf(value);
  }

  static Options options() {
    ServerConfig d = ServerConfig.defaults();
    Options o = new Options();
    o.addOption(valued("host", "HOST", "address to listen on (default " + d.host() + ")"));
    o.addOption(valued("port", "PORT", "TCP port (default " + d.port() + ")"));
    o.addOption(
        valued(
            "max-line",
            "BYTES",
            "longest line accepted from a client (default " + d.maxLineBytes() + ")"));
    o.addOption(
        valued(
            "max-queue",
            "BYTES",
            "unsent bytes per client before it is dropped as too slow (default "
                + d.maxQueueBytes()
                + ")"));
    o.addOption(
        valued("max-clients", "N", "connections served at once (default " + d.maxClients() + ")"));
    o.addOption(
        valued(
            "history-on-join",
            "N",
            "public messages replayed at sign-in, 0-1000 (default " + d.historyOnJoin() + ")"));
    o.addOption(
        valued(
            "store",
            "KIND",
            "where history is kept: sqlite (durable) or memory (lost at exit) (default sqlite)"));
    o.addOption(
        valued(
            "data-dir",
            "DIR",
            "folder of the SQLite database, created if missing (default ./" + d.dataDir() + ")"));
    o.addOption(
        valued(
            "max-rate",
            "N",
            "lines per second a client may send on average; faster ones are slowed, not refused;"
                + " 0 turns it off (default "
                + (long) d.maxRate()
                + ")"));
    o.addOption(
        valued(
            "rate-burst",
            "N",
            "lines a client may send at once before --max-rate applies (default "
                + d.rateBurst()
                + ")"));
    o.addOption(
        valued(
            "idle-timeout",
            "SECONDS",
            "silence before the server sends C PING, and again before it drops the client;"
                + " 0 turns it off (default "
                + d.idleTimeout().toSeconds()
                + ")"));
    o.addOption(
        Option.builder()
            .longOpt("accounts")
            .desc("names are password accounts (a new name registers; off by default)")
            .build());
    o.addOption(
        valued(
            "max-password-checks",
            "N",
            "password checks that may wait for hashing; more get C RETRY 429 (default "
                + d.maxPasswordChecks()
                + ")"));
    o.addOption(
        valued(
            "max-password-checks-per-address",
            "N",
            "of those, from one client address (default " + d.maxPasswordChecksPerAddress() + ")"));
    o.addOption(
        valued(
            "max-failed-sign-ins-per-minute",
            "N",
            "wrong passwords per minute, all users together, beyond which only names that signed"
                + " in from that address before may sign in; others get C RETRY 429 (default "
                + d.maxFailedSignInsPerMinute()
                + ")"));
    o.addOption(
        valued(
            "mode",
            "MODE",
            "chat or classroom: the two-client X/Y ordering exercise of the protocol's section 9"
                + " (default chat)"));
    o.addOption(
        Option.builder()
            .longOpt("relay")
            .desc("classroom: after the acknowledgment relay X and Y to each other until Bye")
            .build());
    o.addOption(
        Option.builder()
            .longOpt("once")
            .desc("classroom: exit 0 after one pair instead of waiting for the next")
            .build());
    o.addOption(
        valued(
            "quiet-ms",
            "MILLIS",
            "classroom: silence that ends a message sent with no line end (default "
                + ClassroomConfig.DEFAULT_QUIET_PERIOD.toMillis()
                + ")"));
    o.addOption(valued("tls-port", "PORT", "also serve TLS 1.3/1.2 on this port (off by default)"));
    o.addOption(
        valued(
            "tls-cert",
            "FILE",
            "TLS: PEM certificate chain, leaf first (as openssl req and certbot write it)"));
    o.addOption(
        valued("tls-key", "FILE", "TLS: PEM private key, unencrypted PKCS#8 (RSA, EC or EdDSA)"));
    o.addOption(
        valued(
            "tls-keystore",
            "FILE",
            "TLS: a PKCS#12 keystore instead of PEM files; its password from $"
                + TlsConfig.KEYSTORE_PASSWORD_ENV));
    o.addOption(
        Option.builder()
            .longOpt("tls-only")
            .desc("TLS: do not open the plain TCP port (kill -HUP reloads the certificate)")
            .build());
    o.addOption(
        valued(
            "max-tls-handshakes",
            "N",
            "TLS: handshakes under way at once, on every TLS port; more are closed at once"
                + " (default "
                + TlsConfig.DEFAULT_MAX_HANDSHAKES
                + ")"));
    o.addOption(
        valued(
            "max-tls-handshakes-per-address",
            "N",
            "TLS: of those, from one client address (default "
                + TlsConfig.DEFAULT_MAX_HANDSHAKES_PER_ADDRESS
                + ")"));
    o.addOption(
        valued(
            "web-port",
            "PORT",
            "also serve the chat page and WebSocket (/ws) to browsers on this port (off by"
                + " default)"));
    o.addOption(
        valued(
            "web-origin",
            "ORIGINS",
            "web: other origins whose pages may open the WebSocket, comma-separated, e.g."
                + " https://chat.example.org; the page's own is allowed when loaded by one of the"
                + " server's names: --host, localhost/127.0.0.1/[::1] when that is a loopback"
                + " address or 0.0.0.0, the machine's addresses and host name (and name.local) with"
                + " 0.0.0.0, the certificate's names with --web-tls; any other page gets 403, one"
                + " loaded by another name 421 (DNS rebinding)"));
    o.addOption(
        Option.builder()
            .longOpt("web-tls")
            .desc("web: serve https and wss on the web port with the TLS certificate")
            .build());
    o.addOption(
        valued(
            "pair-timeout",
            "SECONDS",
            "classroom: end a pair that has received nothing for this long, telling both;"
                + " 0 turns it off (default 0)"));
    o.addOption(
        valued(
            "metrics-port",
            "PORT",
            "serve /metrics (Prometheus text format) and /healthz over HTTP on this port of --host;"
                + " off unless given"));
    LogSettings.addOptions(o);
    OptionLayers.addOptions(o);
    o.addOption(Option.builder().longOpt("version").desc("print the version and exit").build());
    o.addOption(Option.builder().longOpt("help").desc("print this help and exit").build());
    return o;
  }

  private static Option valued(String name, String arg, String description) {
    return Option.builder().longOpt(name).hasArg().argName(arg).desc(description).build();
  }

  private static int intValue(String option, String text, int min, int max) throws ParseException {
    return OptionValues.intIn(option, text, min, max);
  }

  private static long longValue(String option, String text, long min, long max)
      throws ParseException {
    return OptionValues.longIn(option, text, min, max);
  }

  private static void printHelp() {
    PrintWriter out = new PrintWriter(System.out, true);
    new HelpFormatter()
        .printHelp(
            out,
            100,
            "parley-server [--host HOST] [--port PORT] [options]  |  parley-server HOST PORT",
            "A chat server speaking parley/1 on one event loop.",
            options(),
            2,
            2,
            "Defaults listen on "
                + ServerConfig.DEFAULT_HOST
                + ":"
                + ServerConfig.DEFAULT_PORT
                + "; use --host 0.0.0.0 to serve a LAN.",
            false);
  }
}
