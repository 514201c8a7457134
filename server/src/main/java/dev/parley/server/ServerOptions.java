package dev.parley.server;

import dev.parley.cli.OptionLayers;
import dev.parley.cli.Setting;
import dev.parley.protocol.ClientLine;
import dev.parley.protocol.DefaultAddress;
import dev.parley.server.classroom.ClassroomConfig;
import dev.parley.server.tls.TlsConfig;
import dev.parley.server.web.WebConfig;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * The server's option table (Redis's {@code config.c}): one {@link Setting} row per option, from
 * which the command line, the {@code PARLEY_*} variables, the config file, {@code --help} and
 * {@code --print-config} are made. The rows of {@link ServerConfig} are here, with their setters;
 * the rows of TLS, the web port, classroom mode and the log sit beside the record that reads them
 * ({@link TlsConfig#from}). {@link #settings} reads them all from the resolved layers for {@link
 * Main}. {@code dist/src/conf/parley.conf} is checked against {@link #ALL}.
 */
public final class ServerOptions {
  private static final ServerConfig D = ServerConfig.defaults();

  /** The positional arguments stand for these options, in order. */
  static final List<String> POSITIONAL = List.of("host", "port");

  // Upper bounds of the numeric options: each value must fit where it goes, unnarrowed.
  private static final int MAX_LINE_LIMIT = 16 * 1024 * 1024;
  private static final int MAX_RATE = 1_000_000;
  private static final long MAX_SECONDS = 365L * 24 * 3600;

  /** The rows of {@link ServerConfig}, in the order {@code --print-config} shows them. */
  static final List<Setting<ServerConfig.Builder>> SERVER =
      List.of(
          Setting.text("host", "HOST", "address to listen on", D.host(), (b, t) -> b.host(t)),
          Setting.whole("port", "PORT", "TCP port", D.port(), 0, 65535, (b, v) -> b.port((int) v)),
          Setting.whole(
              "max-line",
              "BYTES",
              "longest line accepted from a client",
              D.maxLineBytes(),
              ServerConfig.MIN_LINE_BYTES,
              MAX_LINE_LIMIT,
              (b, v) -> b.maxLineBytes((int) v)),
          Setting.whole(
              "max-queue",
              "BYTES",
              "unsent bytes per client before it is dropped as too slow",
              D.maxQueueBytes(),
              ServerConfig.MIN_QUEUE_BYTES,
              Long.MAX_VALUE,
              ServerConfig.Builder::maxQueueBytes),
          Setting.whole(
              "max-clients",
              "N",
              "connections served at once",
              D.maxClients(),
              1,
              Integer.MAX_VALUE,
              (b, v) -> b.maxClients((int) v)),
          Setting.whole(
              "history-on-join",
              "N",
              "public messages replayed at sign-in, 0-" + ClientLine.ChatHistory.MAX_COUNT,
              D.historyOnJoin(),
              0,
              ClientLine.ChatHistory.MAX_COUNT,
              (b, v) -> b.historyOnJoin((int) v)),
          Setting.whole(
              "max-rooms-per-user",
              "N",
              "rooms one connection may be in, #main counted; a C JOIN beyond it gets C ERR 405",
              D.maxRoomsPerUser(),
              1,
              Integer.MAX_VALUE,
              (b, v) -> b.maxRoomsPerUser((int) v)),
          Setting.whole(
              "max-rooms",
              "N",
              "rooms with a user in them, #main counted; a C JOIN beyond it gets C ERR 405",
              D.maxRooms(),
              1,
              Integer.MAX_VALUE,
              (b, v) -> b.maxRooms((int) v)),
          Setting.text(
              "store",
              "KIND",
              "where history is kept: sqlite (durable) or memory (lost at exit)",
              D.store().name().toLowerCase(Locale.ROOT),
              (b, t) -> b.store(store(t))),
          Setting.text(
              "data-dir",
              "DIR",
              "folder of the SQLite database, created if missing",
              "./" + D.dataDir(),
              (b, t) -> b.dataDir(Path.of(t))),
          Setting.whole(
              "max-rate",
              "N",
              "lines per second a client may send on average; faster ones are slowed, not refused;"
                  + " 0 turns it off",
              (long) D.maxRate(),
              0,
              MAX_RATE,
              ServerConfig.Builder::maxRate),
          Setting.whole(
              "rate-burst",
              "N",
              "lines a client may send at once before --max-rate applies",
              D.rateBurst(),
              1,
              MAX_RATE,
              (b, v) -> b.rateBurst((int) v)),
          Setting.whole(
              "idle-timeout",
              "SECONDS",
              "silence before the server sends C PING, and again before it drops the client;"
                  + " 0 turns it off",
              D.idleTimeout().toSeconds(),
              0,
              MAX_SECONDS,
              (b, v) -> b.idleTimeout(Duration.ofSeconds(v))),
          Setting.onOff(
              "accounts",
              "names are password accounts (a new name registers; off by default)",
              ServerConfig.Builder::accounts),
          Setting.whole(
              "max-password-checks",
              "N",
              "password checks that may wait for hashing; more get C RETRY 429",
              D.maxPasswordChecks(),
              1,
              MAX_RATE,
              (b, v) -> b.maxPasswordChecks((int) v)),
          Setting.whole(
              "max-password-checks-per-address",
              "N",
              "of those, from one client address",
              D.maxPasswordChecksPerAddress(),
              1,
              MAX_RATE,
              (b, v) -> b.maxPasswordChecksPerAddress((int) v)),
          Setting.whole(
              "max-failed-sign-ins-per-minute",
              "N",
              "wrong passwords per minute, all users together, beyond which only names that signed"
                  + " in from that address before may sign in; others get C RETRY 429",
              D.maxFailedSignInsPerMinute(),
              1,
              MAX_RATE,
              (b, v) -> b.maxFailedSignInsPerMinute((int) v)));

  static final Setting<Object> METRICS_PORT =
      Setting.wholeOrOff(
          "metrics-port",
          "PORT",
          "serve /metrics (Prometheus text format) and /healthz over HTTP on this port of --host;"
              + " off unless given",
          0,
          65535);

  /** Every row, in the order of {@code --print-config} and of the sample config file. */
  public static final List<Setting<?>> ALL = all();

  private ServerOptions() {}

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

  /** Reads every setting from the resolved layers; a bad value throws, naming the option. */
  static Settings settings(OptionLayers layers) throws ParseException {
    CommandLine line = layers.commandLine();
    ServerConfig config = config(line);
    ClassroomConfig classroom = ClassroomConfig.from(line, config);
    TlsConfig tls =
        TlsConfig.from(line, classroom != null, System.getenv(TlsConfig.KEYSTORE_PASSWORD_ENV));
    return new Settings(
        layers,
        config,
        classroom,
        tls,
        WebConfig.from(line, classroom != null, tls != null),
        LogSettings.from(line),
        METRICS_PORT.given(line) ? (int) METRICS_PORT.whole(line) : null);
  }

  /** {@code --help}: every row's option with its help and default, and the usage around them. */
  static void printHelp(PrintStream stream) {
    PrintWriter out = new PrintWriter(stream, true);
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
                + DefaultAddress.HOST
                + ":"
                + DefaultAddress.PORT
                + "; use --host 0.0.0.0 to serve a LAN.",
            false);
  }

  private static List<Setting<?>> all() {
    List<Setting<?>> rows = new ArrayList<>(SERVER);
    rows.addAll(TlsConfig.SETTINGS);
    rows.addAll(WebConfig.SETTINGS);
    rows.add(METRICS_PORT);
    rows.addAll(LogSettings.SETTINGS);
    rows.addAll(ClassroomConfig.SETTINGS);
    return List.copyOf(rows);
  }

  /** The commons-cli options: every row, then the layers' own and the actions. */
  static Options options() {
    Options o = new Options();
    ALL.forEach(row -> o.addOption(row.option()));
    OptionLayers.addOptions(o);
    o.addOption(Option.builder().longOpt("version").desc("print the version and exit").build());
    o.addOption(Option.builder().longOpt("help").desc("print this help and exit").build());
    return o;
  }

  /**
   * The server's settings from the rows of {@link #SERVER}; a positional argument stands for the
   * option of its place when that option is not given. The record checks the result as a whole.
   */
  static ServerConfig config(CommandLine line) throws ParseException {
    List<String> positional = line.getArgList();
    if (positional.size() > POSITIONAL.size()) {
      throw new ParseException("too many arguments: " + String.join(" ", positional));
    }
    ServerConfig.Builder b = D.toBuilder();
    for (Setting<ServerConfig.Builder> row : SERVER) {
      int place = POSITIONAL.indexOf(row.name());
      String text;
      if (row.isSwitch()) {
        text = row.given(line) ? "true" : null;
      } else {
        text = row.text(line);
        if (text == null && place >= 0 && place < positional.size()) {
          text = positional.get(place);
        }
      }
      row.apply(b, text);
    }
    return b.build();
  }

  private static ServerConfig.StoreKind store(String text) throws ParseException {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "sqlite" -> ServerConfig.StoreKind.SQLITE;
      case "memory" -> ServerConfig.StoreKind.MEMORY;
      default -> throw new ParseException("--store is sqlite or memory, got '" + text + "'");
    };
  }
}
