package dev.parley.client.classroom;

import dev.parley.protocol.Frame;
import dev.parley.protocol.LineDecoder;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

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
  static final String DEFAULT_HOST = "127.0.0.1";
  static final int DEFAULT_PORT = 5000;
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  static final String PROMPT = "Enter a name: ";
  static final String BYE = "Bye";
  private static final Pattern CONNECTED = Pattern.compile("Client ([XY]) connected");
  private static final Pattern DISCONNECTED = Pattern.compile("Client [XY] disconnected");
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  private static final int MAX_LINE_BYTES = 1024 * 1024; // the protocol's "at least 1 MiB"

  private ClassroomClient() {}

  /**
   * {@code ClassroomClient [--host H] [--port P] [--relay]}. Exit 0 after the acknowledgment (and,
   * with relay, after {@code Bye}); 1 when the server cannot be reached or the exercise ends
   * otherwise (the other client left); 2 for bad arguments.
   */
  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    int code;
    try {
      CommandLine line = new DefaultParser().parse(options(), args);
      if (line.hasOption("help")) {
        printHelp(out);
        return;
      }
      if (!line.getArgList().isEmpty()) {
        throw new ParseException("unexpected arguments: " + String.join(" ", line.getArgList()));
      }
      String host = line.getOptionValue("host", DEFAULT_HOST);
      int port = port(line.getOptionValue("port", String.valueOf(DEFAULT_PORT)));
      // At a terminal the person's typing is already on screen; piped input is echoed instead.
      code =
          run(host, port, line.hasOption("relay"), System.in, out, err, System.console() == null);
    } catch (ParseException e) {
      err.println("parley-client: " + e.getMessage() + " (try --help)");
      code = EXIT_USAGE;
    }
    out.flush();
    System.exit(code);
  }

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
      out.print(PROMPT);
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
    ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
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

  static Options options() {
    Options o = new Options();
    o.addOption(
        Option.builder()
            .longOpt("host")
            .hasArg()
            .argName("HOST")
            .desc("server address (default " + DEFAULT_HOST + ")")
            .build());
    o.addOption(
        Option.builder()
            .longOpt("port")
            .hasArg()
            .argName("PORT")
            .desc("server port (default " + DEFAULT_PORT + ")")
            .build());
    o.addOption(
        Option.builder()
            .longOpt("relay")
            .desc("the server relays after the acknowledgment: chat until someone types Bye")
            .build());
    o.addOption(Option.builder().longOpt("help").desc("print this help and exit").build());
    return o;
  }

  private static int port(String text) throws ParseException {
    try {
      int port = Integer.parseInt(text.trim());
      if (port < 1 || port > 65535) {
        throw new ParseException("--port must be 1-65535, got " + text);
      }
      return port;
    } catch (NumberFormatException e) {
      throw new ParseException("--port needs a whole number, got '" + text + "'");
    }
  }

  private static void printHelp(PrintStream out) {
    PrintWriter writer = new PrintWriter(out, true);
    new HelpFormatter()
        .printHelp(
            writer,
            100,
            "parley-client --classroom [--host HOST] [--port PORT] [--relay]",
            "The client of the classroom exercise (parley-server --mode classroom).",
            options(),
            2,
            2,
            "",
            false);
  }
}
