package dev.parley.server;

import ch.qos.logback.classic.LoggerContext;
import dev.parley.cli.BadValueException;
import dev.parley.cli.OptionLayers;
import dev.parley.cli.Version;
import dev.parley.server.classroom.ClassroomConfig;
import dev.parley.server.classroom.ClassroomServer;
import dev.parley.server.store.StoreException;
import dev.parley.server.tls.TlsConfig;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
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

  private Main() {}

  public static void main(String[] args) {
    Options options = ServerOptions.options();
    ServerOptions.Settings settings;
    OptionLayers layers = null;
    try {
      CommandLine given = new DefaultParser().parse(options, args);
      if (given.hasOption("help")) {
        ServerOptions.printHelp(System.out);
        return;
      }
      if (given.hasOption("version")) {
        System.out.println(Version.current().line(PROGRAM));
        return;
      }
      layers = OptionLayers.resolve(options, args, System.getenv(), ServerOptions.POSITIONAL);
      settings = ServerOptions.settings(layers);
    } catch (BadValueException e) {
      usageError(layers == null ? e.getMessage() : layers.explain(e));
      return;
    } catch (ParseException | IllegalArgumentException e) {
      usageError(e.getMessage());
      return;
    }
    if (layers.commandLine().hasOption(OptionLayers.PRINT_CONFIG)) {
      layers.describe(ServerOptions.ALL).forEach(System.out::println);
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

  /** How long a shutdown waits for clients to take their last lines. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
}
