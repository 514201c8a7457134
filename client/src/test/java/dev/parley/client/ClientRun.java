package dev.parley.client;

import dev.parley.server.ChatServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One run of the console client inside the test JVM: the keyboard is a pipe the test types into,
 * stdout and stderr are captured, times are shown in UTC with "now" fixed at {@link #NOW}, and
 * there is no terminal (so the client is in script mode unless the settings say otherwise).
 */
final class ClientRun implements AutoCloseable {
  /** The test's "now": the day of the test messages, so their times show without a date. */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);

  /** How the client shows its own messages, confirmed at {@link #CLOCK}'s time. */
  static final String NOW = "[12:00:00]";

  private final PipedOutputStream keyboard = new PipedOutputStream();
  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final Main.Io io;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  private ClientRun(Map<String, String> env, Function<Main.Io, Integer> body) throws IOException {
    io =
        new Main.Io(
            new PipedInputStream(keyboard, 64 * 1024),
            new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8),
            null,
            env,
            CLOCK);
    Thread thread =
        new Thread(
            () -> {
              try {
                exit.complete(body.apply(io));
              } catch (Throwable t) {
                exit.completeExceptionally(t);
              }
            },
            "client-main");
    thread.start();
  }

  /**
   * Settings for a session run here, as {@code name}: times at {@link #CLOCK}, no colours, the
   * first reconnection after 10 ms, the rest as {@link Main} has them.
   */
  static SessionSettings settings(
      int port,
      String name,
      boolean interactive,
      boolean reconnect,
      Duration quietPeriod,
      Duration silenceLimit) {
    return new SessionSettings(
        "127.0.0.1:" + port,
        name,
        null,
        interactive,
        reconnect,
        CLOCK,
        false,
        quietPeriod,
        Main.MAX_DRAIN,
        silenceLimit,
        Duration.ofMillis(10),
        Main.STEADY_AFTER,
        Main.GREETING_HINT,
        Main.GREETING_LIMIT);
  }

  /**
   * A script as bob ({@code --reconnect} if {@code reconnect}) whose wait for the server's greeting
   * hints after {@code hint} and gives up after {@code limit}.
   */
  static SessionSettings greetingWithin(
      int port, boolean reconnect, Duration hint, Duration limit) {
    SessionSettings s =
        settings(port, "bob", false, reconnect, Main.QUIET_PERIOD, Main.SILENCE_LIMIT);
    return withWaits(s, s.steadyAfter(), hint, limit);
  }

  /**
   * A script with {@code --reconnect} as {@code name} where every signed-in connection counts as
   * steady: each loss starts the waits again from 10 ms.
   */
  static SessionSettings alwaysSteady(int port, String name) {
    SessionSettings s = settings(port, name, false, true, Main.QUIET_PERIOD, Main.SILENCE_LIMIT);
    return withWaits(s, Duration.ZERO, s.greetingHint(), s.greetingLimit());
  }

  private static SessionSettings withWaits(
      SessionSettings s, Duration steadyAfter, Duration greetingHint, Duration greetingLimit) {
    return new SessionSettings(
        s.server(),
        s.name(),
        s.password(),
        s.interactive(),
        s.reconnect(),
        s.clock(),
        s.colour(),
        s.quietPeriod(),
        s.maxDrain(),
        s.silenceLimit(),
        s.firstRetry(),
        steadyAfter,
        greetingHint,
        greetingLimit);
  }

  /** The real server in-process on 127.0.0.1 at a free port, history in memory. */
  static ChatServer localServer(double maxRate) throws IOException, StoreException {
    return ChatServer.start(
        ServerConfig.defaults().toBuilder()
            .host("127.0.0.1")
            .port(0)
            .store(ServerConfig.StoreKind.MEMORY)
            .maxRate(maxRate)
            .build());
  }

  /** Runs {@code Main.run(args)} as the command line would. */
  static ClientRun main(Map<String, String> env, String... args) throws IOException {
    return new ClientRun(env, io -> Main.run(args, io));
  }

  /** Connects to {@code port} on 127.0.0.1 and runs a session with the given settings. */
  static ClientRun session(int port, SessionSettings settings) throws IOException {
    return new ClientRun(
        Map.of(),
        io -> {
          ChatClient client;
          try {
            client = ChatClient.connect("127.0.0.1", port, ChatClient.CONNECT_TIMEOUT);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
          PipeConsole console = new PipeConsole(io.in(), io.out(), io.err(), null, false, false);
          return Main.run(
              client, new ConsoleReader(console), console, settings, new AtomicReference<>());
        });
  }

  /**
   * As {@link #session(int, SessionSettings)}, the client's loop on {@code clock}: its timers
   * (quiet period, silence, reconnect waits, the greeting watch) run on that clock's time.
   */
  static ClientRun session(int port, SessionSettings settings, FastClock clock) throws IOException {
    return new ClientRun(
        Map.of(),
        io -> {
          ChatClient client;
          try {
            client = ChatClient.connect("127.0.0.1", port, ChatClient.CONNECT_TIMEOUT, null, clock);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
          clock.drive(client);
          PipeConsole console = new PipeConsole(io.in(), io.out(), io.err(), null, false, false);
          return Main.run(
              client, new ConsoleReader(console), console, settings, new AtomicReference<>());
        });
  }

  /** Types each line and Enter. */
  void type(String... lines) throws IOException {
    for (String line : lines) {
      keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    keyboard.flush();
  }

  /** Ends the input (Ctrl-D, or the end of a piped script). */
  void endInput() throws IOException {
    keyboard.close();
  }

  /** The exit code, waiting up to 10 s for the client to finish. */
  int exitCode() throws Exception {
    return exit.get(10, TimeUnit.SECONDS);
  }

  boolean finished() {
    return exit.isDone();
  }

  String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  List<String> outLines() {
    return out().lines().toList();
  }

  String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    keyboard.close();
  }
}
