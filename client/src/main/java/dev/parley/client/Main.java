package dev.parley.client;

import dev.parley.cli.Version;
import dev.parley.client.ClientOptions.Arguments;
import dev.parley.client.ClientOptions.UsageException;
import dev.parley.client.classroom.ClassroomClient;
import dev.parley.protocol.Names;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.ParseException;

/**
 * The console client's entry point: reads the command line, asks for a name if none was given,
 * connects, and runs the session until it ends. At a terminal it reads on JLine ({@link
 * TerminalConsole}); otherwise input is a script ({@link PipeConsole}). Exit codes: 0 when the
 * session ended normally, 1 when the client could not connect or sign in, the connection was lost
 * without {@code --reconnect}, or a script had lines refused; 2 for bad arguments.
 */
public final class Main {

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

  /** Where the client reads and writes; the real ones in {@link #main}, others in tests. */
  record Io(
      InputStream in,
      PrintStream out,
      PrintStream err,
      Console console,
      Map<String, String> env,
      Clock clock) {}

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
    Arguments arguments;
    try {
      CommandLine line = new DefaultParser().parse(ClientOptions.options(), args);
      if (line.hasOption("help")) {
        ClientOptions.printHelp(io.out());
        return 0;
      }
      if (line.hasOption("version")) {
        io.out().println(Version.current().line("parley-client"));
        return 0;
      }
      arguments = Arguments.from(line);
      if (arguments.classroom()) {
        return classroom(arguments, io);
      }
    } catch (ParseException | UsageException e) {
      io.err().println("parley-client: " + e.getMessage() + " (see --help)");
      return 2;
    }
    boolean interactive = io.console() != null;
    String password;
    try {
      password = arguments.password(interactive, io.env());
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
                () -> running.get() == null ? List.of() : running.get().rooms(),
                line ->
                    refusal(
                        line,
                        running.get() == null ? new JoinedRooms() : running.get().joinedRooms(),
                        colour),
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
  private static int classroom(Arguments arguments, Io io) throws UsageException {
    boolean relay = arguments.relay();
    if (io.console() == null) {
      // Piped input is echoed, so the output reads like a session at a terminal.
      return ClassroomClient.run(
          arguments.host(), arguments.port(), relay, io.in(), io.out(), io.err(), true);
    }
    try (TerminalConsole terminal =
        TerminalConsole.system(
            List::of, List::of, line -> null, wantsColour(arguments, io.env()))) {
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
    return refusal(line, new JoinedRooms(), colour);
  }

  /** As {@link #refusal(String, boolean)}, for a session in {@code rooms}. */
  static String refusal(String line, JoinedRooms rooms, boolean colour) {
    InputTranslator.Translation t = InputTranslator.translate(line, rooms);
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
