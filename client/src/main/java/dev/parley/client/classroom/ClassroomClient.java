package dev.parley.client.classroom;

import dev.parley.client.ChatClient;
import dev.parley.client.Display;
import dev.parley.client.Keyboard;
import dev.parley.client.PipeConsole;
import dev.parley.client.Screen;
import dev.parley.protocol.Frame;
import dev.parley.protocol.LineDecoder;
import dev.parley.protocol.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classroom client (section 9 of the protocol): prints the server's {@code Client X connected},
 * asks {@code Enter a name: }, sends {@code Client X: <name>} with its own label, prints the line
 * it sent and then the server's acknowledgment. With relay it then sends every line typed and
 * prints every line relayed, until either side types {@code Bye}.
 *
 * <p>Threads: the calling thread reads the socket (a blocking {@link SocketChannel}) and shows what
 * arrives on the {@link Screen}. With relay, one more thread reads the {@link Keyboard} and writes
 * each line to the socket; a blocking channel may be read by one thread while another writes. At a
 * terminal the screen prints above the line being typed, so nothing arriving clobbers it. Lines
 * from the server are shown with control and bidi characters made visible: the other student's text
 * must not drive this terminal.
 *
 * <p>Works with piped standard input as a script runner: each input line is used as read, and with
 * {@code echoInput} it is printed too, so the output reads like a session at a terminal.
 */
public final class ClassroomClient {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;

  static final String BYE = "Bye";
  private static final Pattern CONNECTED = Pattern.compile("Client ([XY]) connected");
  private static final Pattern DISCONNECTED = Pattern.compile("Client [XY] disconnected");
  private static final int CONNECT_TIMEOUT_MILLIS =
      Math.toIntExact(ChatClient.CONNECT_TIMEOUT.toMillis());

  private ClassroomClient() {}

  /**
   * As {@link #run(String, int, boolean, InputStream, PrintStream, PrintStream, boolean)}, with
   * connection problems reported on {@code out} and the lines read from {@code in} not echoed (as
   * at a terminal).
   */
  public static int run(String host, int port, boolean relay, InputStream in, PrintStream out) {
    return run(host, port, relay, in, out, out, false);
  }

  /**
   * Runs the exercise once and returns the exit code.
   *
   * @param relay whether the server relays after the acknowledgment (its {@code --relay})
   * @param err where connection problems are reported
   * @param echoInput whether lines read from {@code in} are printed (for piped input)
   */
  public static int run(
      String host,
      int port,
      boolean relay,
      InputStream in,
      PrintStream out,
      PrintStream err,
      boolean echoInput) {
    PipeConsole console = new PipeConsole(in, out, err, null, true, echoInput);
    return run(host, port, relay, console, console);
  }

  /** Runs the exercise once, reading from {@code keyboard} and showing on {@code screen}. */
  public static int run(String host, int port, boolean relay, Keyboard keyboard, Screen screen) {
    try (SocketChannel channel = SocketChannel.open()) {
      try {
        channel.socket().connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      } catch (IOException e) {
        screen.fail(
            "parley-client: cannot connect to " + host + ":" + port + ": " + e.getMessage());
        return EXIT_FAILED;
      }
      return exercise(channel, relay, keyboard, screen);
    } catch (IOException e) {
      screen.fail("parley-client: connection lost: " + e.getMessage());
      return EXIT_FAILED;
    }
  }

  private static int exercise(
      SocketChannel channel, boolean relay, Keyboard keyboard, Screen screen) throws IOException {
    ServerLines server = new ServerLines(channel);
    String connected = server.next();
    if (connected == null) {
      screen.show("The server closed the connection.");
      return EXIT_FAILED;
    }
    screen.show(connected);
    Matcher label = CONNECTED.matcher(connected);
    if (!label.matches()) {
      return EXIT_FAILED; // not a classroom server, or it refused us (the line says why)
    }

    String name = askName(keyboard);
    if (name == null) {
      return EXIT_FAILED;
    }
    String message = "Client " + label.group(1) + ": " + name;
    send(channel, message);
    screen.show(Display.neutralise(message));

    String ack = server.next();
    if (ack == null) {
      screen.show("The server closed the connection.");
      return EXIT_FAILED;
    }
    screen.show(ack);
    if (DISCONNECTED.matcher(ack).matches()) {
      return EXIT_FAILED; // the other client left: the server said so and closes
    }
    if (!relay) {
      return EXIT_OK;
    }
    return converse(channel, server, keyboard, screen);
  }

  /** Asks until a name is typed; null when input ends first. */
  private static String askName(Keyboard keyboard) throws IOException {
    while (true) {
      String name = keyboard.readLine(Display.NAME_PROMPT);
      if (name == null || !name.isBlank()) {
        return name;
      }
    }
  }

  /**
   * The relay: typed lines go out from a second thread while this one prints what arrives, until
   * the server closes (after {@code Bye}, or when the other client left). Exit 0 only after {@code
   * Bye}.
   */
  private static int converse(
      SocketChannel channel, ServerLines server, Keyboard keyboard, Screen screen)
      throws IOException {
    Thread typist =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = keyboard.readLine("")) != null) {
                  send(channel, line);
                  if (line.equals(BYE)) {
                    return;
                  }
                }
                // Input ended without Bye: keep printing until the other side ends it.
              } catch (IOException e) {
                // The connection is closing; the reading side reports how it ended.
              }
            },
            "parley-classroom-input");
    typist.setDaemon(true); // blocked on standard input, it must not keep the process alive
    typist.start();
    boolean bye = false;
    String line;
    while ((line = server.next()) != null) {
      screen.show(line);
      bye |= line.equals(BYE);
    }
    return bye ? EXIT_OK : EXIT_FAILED;
  }

  private static void send(SocketChannel channel, String line) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Wire.bytes(line));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  /** The server's lines, read from the blocking channel. Reading thread only. */
  private static final class ServerLines {
    private final SocketChannel channel;
    private final LineDecoder decoder = new LineDecoder(ChatClient.MAX_LINE_BYTES);
    private final ByteBuffer buffer = ByteBuffer.allocate(8192).flip(); // empty, ready to read

    ServerLines(SocketChannel channel) {
      this.channel = channel;
    }

    /** The next line, or null when the server has closed the connection. */
    String next() throws IOException {
      while (true) {
        Frame frame = decoder.next(buffer);
        if (frame instanceof Frame.Text text) {
          return Display.neutralise(text.text());
        }
        if (frame == null) {
          buffer.clear();
          int n = channel.read(buffer);
          buffer.flip();
          if (n < 0) {
            return null;
          }
        }
        // A faulty line (too long, not UTF-8) is skipped; the server never sends one.
      }
    }
  }
}
