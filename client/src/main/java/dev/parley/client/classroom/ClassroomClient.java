package dev.parley.client.classroom;

import dev.parley.client.Display;
import dev.parley.client.Main;
import dev.parley.protocol.Frame;
import dev.parley.protocol.LineDecoder;
import dev.parley.protocol.Wire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classroom client (section 9 of the protocol): prints the server's {@code Client X connected},
 * asks {@code Enter a name: }, sends {@code Client X: <name>} with its own label, prints the line
 * it sent and then the server's acknowledgment. With relay it then sends every line typed and
 * prints every line relayed, until either side types {@code Bye}.
 *
 * <p>Threads: the calling thread reads the socket (a blocking {@link SocketChannel}) and prints.
 * With relay, one more thread reads standard input and writes each line to the socket; a blocking
 * channel may be read by one thread while another writes. Nothing else is shared but the output
 * stream, whose prints are atomic per line.
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
      Math.toIntExact(Main.CONNECT_TIMEOUT.toMillis());
  private static final int MAX_LINE_BYTES = 1024 * 1024; // the protocol's "at least 1 MiB"

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
    BufferedReader input = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    try (SocketChannel channel = SocketChannel.open()) {
      try {
        channel.socket().connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      } catch (IOException e) {
        err.println(
            "parley-client: cannot connect to " + host + ":" + port + ": " + e.getMessage());
        return EXIT_FAILED;
      }
      return exercise(channel, relay, input, out, echoInput);
    } catch (IOException e) {
      err.println("parley-client: connection lost: " + e.getMessage());
      return EXIT_FAILED;
    }
  }

  private static int exercise(
      SocketChannel channel,
      boolean relay,
      BufferedReader input,
      PrintStream out,
      boolean echoInput)
      throws IOException {
    ServerLines server = new ServerLines(channel);
    String connected = server.next();
    if (connected == null) {
      out.println("The server closed the connection.");
      return EXIT_FAILED;
    }
    out.println(connected);
    Matcher label = CONNECTED.matcher(connected);
    if (!label.matches()) {
      return EXIT_FAILED; // not a classroom server, or it refused us (the line says why)
    }

    String name = askName(input, out, echoInput);
    if (name == null) {
      return EXIT_FAILED;
    }
    String message = "Client " + label.group(1) + ": " + name;
    send(channel, message);
    out.println(message);

    String ack = server.next();
    if (ack == null) {
      out.println("The server closed the connection.");
      return EXIT_FAILED;
    }
    out.println(ack);
    if (DISCONNECTED.matcher(ack).matches()) {
      return EXIT_FAILED; // the other client left: the server said so and closes
    }
    if (!relay) {
      return EXIT_OK;
    }
    return converse(channel, server, input, out, echoInput);
  }

  /** Asks until a name is typed; null when input ends first. */
  private static String askName(BufferedReader input, PrintStream out, boolean echoInput)
      throws IOException {
    while (true) {
      out.print(Display.NAME_PROMPT);
      out.flush();
      String name = input.readLine();
      if (name == null) {
        out.println();
        return null;
      }
      if (echoInput) {
        out.println(name);
      }
      if (!name.isBlank()) {
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
      SocketChannel channel,
      ServerLines server,
      BufferedReader input,
      PrintStream out,
      boolean echoInput)
      throws IOException {
    Thread typist =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = input.readLine()) != null) {
                  if (echoInput) {
                    out.println(line);
                  }
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
      out.println(line);
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
    private final LineDecoder decoder = new LineDecoder(MAX_LINE_BYTES);
    private final ByteBuffer buffer = ByteBuffer.allocate(8192).flip(); // empty, ready to read

    ServerLines(SocketChannel channel) {
      this.channel = channel;
    }

    /** The next line, or null when the server has closed the connection. */
    String next() throws IOException {
      while (true) {
        Frame frame = decoder.next(buffer);
        if (frame instanceof Frame.Text) {
          return ((Frame.Text) frame).text();
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
