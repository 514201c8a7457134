package dev.parley.client;

import dev.parley.cli.Version;
import dev.parley.client.classroom.ClassroomClient;
import dev.parley.protocol.Names;
import java.io.BufferedReader;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * The console client's entry point: reads the command line, asks for a name if none was given,
 * connects, and runs the session until it ends. At a terminal it reads on JLine ({@link
 * TerminalConsole}); otherwise input is a script ({@link PipeConsole}). Exit codes: 0 when the
 * session ended normally, 1 when the client could not connect or sign in, the connection was lost
 * without {@code --reconnect}, or a script had lines refused; 2 for bad arguments.
 */
public final class Main {
  /**
   * Where to connect when not told: the server's own defaults, spelt again because the client does
   * not depend on the server; {@code ServerDefaultsTest} keeps the two in step.
   */
  static final String DEFAULT_HOST = "127.0.0.1";

  static final int DEFAULT_PORT = 5000;

  static final String PASSWORD_VARIABLE = "PARLEY_PASSWORD";

  static final Duration QUIET_PERIOD = Duration.ofSeconds(5);
  static final Duration MAX_DRAIN = Duration.ofSeconds(30);

  /**
   * Silence from the server after which the connection counts as lost; the client pings at half of
   * it, and the server pings an idle client at 60 s.
   */
  static final Duration SILENCE_LIMIT = Duration.ofSeconds(150);

  /** The first wait before reconnecting; it doubles up to 30 s. */
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  /** How long a signed-in connection must hold for its loss to start the waits again. */
  static final Duration STEADY_AFTER = Duration.ofSeconds(30);

  /**
   * Without the server's greeting for this long, a plain client says the port may be a TLS one (a
   * TLS port waits for the client to speak first).
   */
  static final Duration GREETING_HINT = Duration.ofSeconds(2);

  /** Without the server's greeting for this long, the connection is given up. */
  static final Duration GREETING_LIMIT = Duration.ofSeconds(10);

  private static final String USAGE = "parley-client [options] [HOST [PORT [NAME]]]";
  private static final String FOOTER =
      "\nAfter sign-in, plain text is a message to everyone; /msg <name> <text> a direct"
          + " message; /list, /history [n], /quit, /help. Lines starting with C or D are sent as"
          + " typed (C PM, then D <text>). When input is not a terminal, each line is sent as"
          + " read and the client leaves after the last replies.";

  /** Where the client reads and writes; the real ones in {@link #main}, others in tests. */
  record Io(
      InputStream in,
      PrintStream out,
      PrintStream err,
      Console console,
      Map<String, String> env,
      Clock clock) {}

  /** What the command line asked for; user and passwordFile may be null. */
  record Arguments(
      String host,
      int port,
      String user,
      Path passwordFile,
      boolean reconnect,
      boolean noColor,
      boolean tls,
      Path tlsCa) {}

  /** A command line that cannot be used; the message is one line. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message, null, false, false);
    }
  }

  private Main() {}

  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    Io io =
        new Io(System.in, out, err, System.console(), System.getenv(), Clock.systemDefaultZone());
    int code = run(args, io);
    out.flush();
    err.flush();
    System.exit(code);
  }

  static int run(String[] args, Io io) {
    Options options = options();
    Arguments arguments;
    try {
      CommandLine line = new DefaultParser().parse(options, args);
      if (line.hasOption("help")) {
        printHelp(options, io.out());
        return 0;
      }
      if (line.hasOption("version")) {
        io.out().println(Version.current().line("parley-client"));
        return 0;
      }
      arguments = arguments(line);
      if (line.hasOption("relay") && !line.hasOption("classroom")) {
        throw new UsageException("--relay goes with --classroom");
      }
      if (line.hasOption("tls-ca") && !line.hasOption("tls")) {
        throw new UsageException("--tls-ca goes with --tls");
      }
      if (line.hasOption("classroom")) {
        if (arguments.tls()) {
          throw new UsageException("classroom mode is plain TCP; no --tls");
        }
        if (arguments.user() != null || arguments.passwordFile() != null) {
          throw new UsageException("classroom mode asks for a name itself; no user or password");
        }
        return classroom(arguments, line.hasOption("relay"), io);
      }
    } catch (ParseException | UsageException e) {
      io.err().println("parley-client: " + e.getMessage() + " (see --help)");
      return 2;
    }
    boolean interactive = io.console() != null;
    String password;
    try {
      password = password(arguments, interactive, io.env());
    } catch (UsageException e) {
      io.err().println("parley-client: " + e.getMessage());
      return 2;
    }
    AtomicReference<ClientSession> running = new AtomicReference<>();
    boolean colour = interactive && wantsColour(arguments, io.env());
    Keyboard keyboard;
    Screen screen;
    TerminalConsole terminal = null;
    if (interactive) {
      try {
        terminal =
            TerminalConsole.system(
                () -> running.get() == null ? List.of() : running.get().online(),
                line -> refusal(line, colour),
                colour);
      } catch (IOException e) {
        io.err().println("parley-client: cannot use the terminal: " + ChatClient.describe(e));
        return 1;
      }
      keyboard = terminal;
      screen = terminal;
    } else {
      PipeConsole pipe = new PipeConsole(io.in(), io.out(), io.err(), null, false, false);
      keyboard = pipe;
      screen = pipe;
    }
    try {
      ConsoleReader reader = new ConsoleReader(keyboard);
      String name =
          arguments.user() != null ? arguments.user() : askName(reader, screen, interactive);
      if (name == null) {
        return 1;
      }
      String server = arguments.host() + ":" + arguments.port();
      ChatClient client;
      try {
        ClientTls tls = arguments.tls() ? ClientTls.trusting(arguments.tlsCa()) : null;
        client =
            ChatClient.connect(arguments.host(), arguments.port(), ChatClient.CONNECT_TIMEOUT, tls);
      } catch (IOException e) {
        screen.fail("cannot connect to " + server + ": " + ChatClient.describe(e));
        return 1;
      }
      SessionSettings settings =
          new SessionSettings(
              server,
              name,
              password,
              interactive,
              interactive || arguments.reconnect(),
              io.clock(),
              colour && (terminal == null || terminal.supportsColour()),
              QUIET_PERIOD,
              MAX_DRAIN,
              SILENCE_LIMIT,
              FIRST_RETRY,
              STEADY_AFTER,
              GREETING_HINT,
              GREETING_LIMIT);
      return run(client, reader, screen, settings, running);
    } finally {
      if (terminal != null) {
        terminal.close();
      }
    }
  }

  /**
   * Classroom mode; at a terminal on the same line reader as chat, so the relay is not clobbered.
   */
  private static int classroom(Arguments arguments, boolean relay, Io io) throws UsageException {
    if (io.console() == null) {
      // Piped input is echoed, so the output reads like a session at a terminal.
      return ClassroomClient.run(
          arguments.host(), arguments.port(), relay, io.in(), io.out(), io.err(), true);
    }
    try (TerminalConsole terminal =
        TerminalConsole.system(List::of, line -> null, wantsColour(arguments, io.env()))) {
      return ClassroomClient.run(arguments.host(), arguments.port(), relay, terminal, terminal);
    } catch (IOException e) {
      throw new UsageException("cannot use the terminal: " + ChatClient.describe(e));
    }
  }

  /** NO_COLOR (no-color.org): any non-empty value turns colours off, as --no-color does. */
  private static boolean wantsColour(Arguments arguments, Map<String, String> env) {
    String noColor = env.get("NO_COLOR");
    return !arguments.noColor() && (noColor == null || noColor.isEmpty());
  }

  /**
   * Why the client would refuse a typed line, to show as the terminal clears it (keeping it in the
   * history, where Up finds it); or null.
   */
  static String refusal(String line, boolean colour) {
    InputTranslator.Translation t = InputTranslator.translate(line);
    if (t instanceof InputTranslator.Explain explain && explain.refused()) {
      String text = explain.text() + TerminalConsole.UP_TO_EDIT;
      return colour ? "\u001b[31m" + text + "\u001b[0m" : text;
    }
    return null;
  }

  /** Runs a session on a connected client until it ends; returns the exit code. */
  static int run(
      ChatClient client,
      ConsoleReader reader,
      Screen screen,
      SessionSettings settings,
      AtomicReference<ClientSession> running) {
    ClientSession session = new ClientSession(client, reader, screen, settings);
    running.set(session);
    reader.start(client, session);
    client.start(session);
    client.execute(session::start);
    try {
      // The session closes the client when it ends, so the loop thread ends after it: waiting
      // for the thread also covers a loop that died without the session finishing.
      client.awaitClosed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!session.exitCode().isDone()) {
      screen.fail("parley-client: stopped unexpectedly");
      return 1;
    }
    return session.exitCode().join();
  }

  private static Options options() {
    Options options = new Options();
    options.addOption(
        Option.builder()
            .longOpt("classroom")
            .desc("take part in the two-client ordering exercise (server --mode classroom)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("relay")
            .desc("with --classroom: chat through the server after the acknowledgment")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("host")
            .hasArg()
            .argName("HOST")
            .desc("server address (default " + DEFAULT_HOST + ")")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("port")
            .hasArg()
            .argName("PORT")
            .desc("server port (default " + DEFAULT_PORT + ")")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("user")
            .hasArg()
            .argName("NAME")
            .desc("name to sign in with; asked for when missing")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("password-file")
            .hasArg()
            .argName("FILE")
            .desc(
                "read the account password from the first line of FILE (otherwise it is asked for"
                    + " at a terminal, or taken from "
                    + PASSWORD_VARIABLE
                    + ")")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("tls")
            .desc("connect over TLS (the server's --tls-port), verifying its certificate and name")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("tls-ca")
            .hasArg()
            .argName("FILE")
            .desc("with --tls: also trust the PEM certificate(s) in FILE (a class's own CA)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("reconnect")
            .desc(
                "when input is not a terminal: reconnect after a lost connection and resume (at a"
                    + " terminal the client always does)")
            .build());
    options.addOption(
        Option.builder()
            .longOpt("no-color")
            .desc("no colours (as does the environment variable NO_COLOR)")
            .build());
    options.addOption(Option.builder().longOpt("version").desc("print the version").build());
    options.addOption(Option.builder().longOpt("help").desc("print this help").build());
    return options;
  }

  private static void printHelp(Options options, PrintStream out) {
    PrintWriter writer = new PrintWriter(out, false, StandardCharsets.UTF_8);
    new HelpFormatter().printHelp(writer, 80, USAGE, "\nOptions:", options, 2, 2, FOOTER, false);
    writer.flush();
  }

  static Arguments arguments(CommandLine line) throws UsageException {
    List<String> positional = line.getArgList();
    if (positional.size() > 3) {
      throw new UsageException("too many arguments: " + String.join(" ", positional));
    }
    String host = pick(line, "host", positional, 0, DEFAULT_HOST);
    String portText = pick(line, "port", positional, 1, null);
    String user = pick(line, "user", positional, 2, null);
    int port = DEFAULT_PORT;
    if (portText != null) {
      port = port(portText);
    }
    if (host.isEmpty()) {
      throw new UsageException("the host is empty");
    }
    String problem = user == null ? null : Names.problem(user);
    if (problem != null) {
      throw new UsageException("invalid name '" + Display.neutralise(user) + "': " + problem);
    }
    String file = line.getOptionValue("password-file");
    String ca = line.getOptionValue("tls-ca");
    return new Arguments(
        host,
        port,
        user,
        file == null ? null : Path.of(file),
        line.hasOption("reconnect"),
        line.hasOption("no-color"),
        line.hasOption("tls"),
        ca == null ? null : Path.of(ca));
  }

  /** The option's value or the positional argument at {@code index}; both at once is an error. */
  private static String pick(
      CommandLine line, String option, List<String> positional, int index, String fallback)
      throws UsageException {
    String fromOption = line.getOptionValue(option);
    String fromPosition = positional.size() > index ? positional.get(index) : null;
    if (fromOption != null && fromPosition != null) {
      throw new UsageException(
          "the " + option + " is given twice: --" + option + " and " + fromPosition);
    }
    if (fromOption != null) {
      return fromOption;
    }
    return fromPosition != null ? fromPosition : fallback;
  }

  private static int port(String text) throws UsageException {
    int port = -1;
    if (text.length() <= 5 && !text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
      port = Integer.parseInt(text);
    }
    if (port < 1 || port > 65535) {
      throw new UsageException("bad port '" + text + "': expected a number from 1 to 65535");
    }
    return port;
  }

  /**
   * The password known before connecting: from --password-file, or from the environment when there
   * is no terminal to ask at; null to ask (or to have none).
   */
  private static String password(Arguments arguments, boolean interactive, Map<String, String> env)
      throws UsageException {
    Path file = arguments.passwordFile();
    if (file != null) {
      String first;
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        first = in.readLine();
      } catch (IOException e) {
        throw new UsageException(
            "cannot read password file " + file + ": " + ChatClient.describe(e));
      }
      if (first == null || first.isEmpty()) {
        throw new UsageException("password file " + file + " has no password on its first line");
      }
      return first;
    }
    if (interactive) {
      return null;
    }
    String fromEnvironment = env.get(PASSWORD_VARIABLE);
    return fromEnvironment == null || fromEnvironment.isEmpty() ? null : fromEnvironment;
  }

  /** Asks for a name before connecting; null (after a message) when none can be had. */
  private static String askName(ConsoleReader reader, Screen screen, boolean interactive) {
    while (true) {
      String typed;
      try {
        typed = reader.readName();
      } catch (IOException e) {
        typed = null;
      }
      if (typed == null) {
        screen.fail("cannot sign in: no name given");
        return null;
      }
      String name = typed.strip();
      String problem = Names.problem(name);
      if (problem == null) {
        return name;
      }
      if (!interactive) {
        screen.fail("cannot sign in as " + Display.neutralise(name) + ": " + problem);
        return null;
      }
      screen.show(Display.neutralise(Display.nameNotAccepted(problem)));
    }
  }
}
