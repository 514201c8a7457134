package dev.parley.server;

import ch.qos.logback.classic.LoggerContext;
import dev.parley.server.classroom.ClassroomConfig;
import dev.parley.server.classroom.ClassroomServer;
import dev.parley.server.history.StoreException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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

  private Main() {}

  public static void main(String[] args) {
    ServerConfig config;
    ClassroomConfig classroom;
    try {
      CommandLine line = new DefaultParser().parse(options(), args);
      if (line.hasOption("help")) {
        printHelp();
        return;
      }
      config = configFrom(line);
      classroom = classroomConfigFrom(line, config);
    } catch (ParseException | IllegalArgumentException e) {
      System.err.println("parley-server: " + e.getMessage() + " (try --help)");
      System.exit(EXIT_USAGE);
      return;
    }
    List<String> heapFlags = LeanHeap.apply();
    if (!heapFlags.isEmpty()) {
      LOG.debug("heap settings: {}", String.join(", ", heapFlags));
    }
    if (classroom != null) {
      runClassroom(classroom);
      return;
    }
    try {
      config = FileDescriptorBudget.capMaxClients(config);
      ChatServer server = ChatServer.start(config);
      LOG.info("parley listening on {}:{}", server.address().getHostString(), server.port());
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    LOG.info("shutting down");
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
                    "quiet-ms", str(ClassroomConfig.DEFAULT_QUIET_PERIOD.toMillis())));
        long pairTimeoutSeconds =
            longValue(
                "pair-timeout",
                line.getOptionValue(
                    "pair-timeout", str(ClassroomConfig.NO_PAIR_TIMEOUT.toSeconds())));
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
        .port(intValue("port", portText))
        .maxLineBytes(intValue("max-line", line.getOptionValue("max-line", str(d.maxLineBytes()))))
        .maxQueueBytes(
            longValue("max-queue", line.getOptionValue("max-queue", str(d.maxQueueBytes()))))
        .maxClients(
            intValue("max-clients", line.getOptionValue("max-clients", str(d.maxClients()))))
        .historyOnJoin(
            intValue(
                "history-on-join", line.getOptionValue("history-on-join", str(d.historyOnJoin()))))
        .store(store)
        .dataDir(Path.of(line.getOptionValue("data-dir", d.dataDir().toString())))
        .accounts(line.hasOption("accounts"))
        .maxRate(longValue("max-rate", line.getOptionValue("max-rate", str((long) d.maxRate()))))
        .rateBurst(intValue("rate-burst", line.getOptionValue("rate-burst", str(d.rateBurst()))))
        .idleTimeout(
            Duration.ofSeconds(
                longValue(
                    "idle-timeout",
                    line.getOptionValue("idle-timeout", str(d.idleTimeout().toSeconds())))))
        .maxPasswordChecks(
            intValue(
                "max-password-checks",
                line.getOptionValue("max-password-checks", str(d.maxPasswordChecks()))))
        .maxPasswordChecksPerAddress(
            intValue(
                "max-password-checks-per-address",
                line.getOptionValue(
                    "max-password-checks-per-address", str(d.maxPasswordChecksPerAddress()))))
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
            "where history is kept: sqlite (durable, the default) or memory (lost at exit)"));
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
            "mode",
            "MODE",
            "chat (the default) or classroom: the two-client X/Y ordering exercise of the"
                + " protocol's section 9"));
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
    o.addOption(
        valued(
            "pair-timeout",
            "SECONDS",
            "classroom: end a pair that has received nothing for this long, telling both;"
                + " 0 turns it off (default 0)"));
    o.addOption(Option.builder().longOpt("help").desc("print this help and exit").build());
    return o;
  }

  private static Option valued(String name, String arg, String description) {
    return Option.builder().longOpt(name).hasArg().argName(arg).desc(description).build();
  }

  private static int intValue(String option, String text) throws ParseException {
    long value = longValue(option, text);
    if (value > Integer.MAX_VALUE) {
      throw new ParseException("--" + option + " is too large: " + text);
    }
    return (int) value;
  }

  private static long longValue(String option, String text) throws ParseException {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new ParseException("--" + option + " needs a whole number, got '" + text + "'");
    }
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
