package dev.parley.client.classroom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exercise as the user guide (docs/USERGUIDE.md, "Classroom mode") runs it: the server jar and
 * two client processes with piped input, their standard outputs compared to section 9 of the
 * protocol to the character. An integration test (failsafe, after {@code package}), since it needs
 * both jars. Both run exactly as the guide shows: {@code java -jar parley-server.jar --mode
 * classroom} and {@code java -jar parley-client.jar --classroom}.
 */
class ClassroomProcessIT {
  private static final Pattern LISTENING = Pattern.compile("listening on [^ ]+:(\\d+)");

  @TempDir Path dir;
  private final List<JavaProcess> processes = new ArrayList<>();

  @AfterEach
  void tearDown() {
    processes.forEach(JavaProcess::close);
  }

  private JavaProcess server(String... options) throws IOException {
    List<String> args =
        new ArrayList<>(List.of("-jar", JavaProcess.jar("parley.server.jar").toString()));
    args.addAll(List.of("--mode", "classroom", "--port", "0", "--once"));
    args.addAll(List.of(options));
    JavaProcess server = JavaProcess.start(dir, "server", args);
    processes.add(server);
    server.awaitStdout("The server is waiting to receive two connections....\n");
    return server;
  }

  private static int port(JavaProcess server) throws IOException {
    server.awaitStderr("listening on");
    Matcher m = LISTENING.matcher(server.stderr());
    if (!m.find()) {
      throw new AssertionError("no port in the server's log: " + server.stderr());
    }
    return Integer.parseInt(m.group(1));
  }

  private JavaProcess client(String name, int port, String... options) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-jar",
                JavaProcess.jar("parley.client.jar").toString(),
                "--classroom",
                "--port",
                String.valueOf(port)));
    args.addAll(List.of(options));
    JavaProcess client = JavaProcess.start(dir, name, args);
    processes.add(client);
    return client;
  }

  /** Two client processes connect, alice first (so she is X); each is asked for a name. */
  private JavaProcess[] connectBoth(JavaProcess server, int port, String... options)
      throws IOException {
    JavaProcess alice = client("alice", port, options);
    server.awaitStdout("Accepted first connection, calling it client X\n");
    JavaProcess bob = client("bob", port, options);
    alice.awaitStdout("Enter a name: ");
    bob.awaitStdout("Enter a name: ");
    return new JavaProcess[] {alice, bob};
  }

  @ParameterizedTest(name = "{0} types first")
  @ValueSource(strings = {"X", "Y"})
  void theServerAndTwoClientProcessesPrintTheTranscript(String typesFirst) throws Exception {
    JavaProcess server = server();
    int port = port(server);
    JavaProcess[] pair = connectBoth(server, port);
    JavaProcess alice = pair[0];
    JavaProcess bob = pair[1];

    JavaProcess first = typesFirst.equals("X") ? alice : bob;
    JavaProcess second = first == alice ? bob : alice;
    first.type(first == alice ? "Alice" : "Bob");
    first.endInput();
    server.awaitStdout(first == alice ? "Client X: Alice\n" : "Client Y: Bob\n");
    second.type(second == alice ? "Alice" : "Bob");
    second.endInput();

    String ack =
        typesFirst.equals("X")
            ? "X: Alice received before Y: Bob"
            : "Y: Bob received before X: Alice";
    assertEquals(0, alice.awaitExit(), alice.stderr());
    assertEquals(0, bob.awaitExit(), bob.stderr());
    assertEquals(0, server.awaitExit(), server.stderr());
    assertEquals(ClassroomTranscript.client("X", "Alice", ack), alice.stdout());
    assertEquals(ClassroomTranscript.client("Y", "Bob", ack), bob.stdout());
    assertEquals(
        typesFirst.equals("X")
            ? ClassroomTranscript.server("Client X: Alice", "Client Y: Bob")
            : ClassroomTranscript.server("Client Y: Bob", "Client X: Alice"),
        server.stdout());
  }

  @Test
  void aNoLineEndClientAndAClientProcessShareARun() throws Exception {
    JavaProcess server = server();
    int port = port(server);
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress("127.0.0.1", port));
      raw.setSoTimeout((int) JavaProcess.PATIENCE.toMillis());
      OutputStream rawOut = raw.getOutputStream();
      rawOut.write("Client X: Alice".getBytes(StandardCharsets.UTF_8)); // one send, no line end
      rawOut.flush();
      server.awaitStdout("Accepted first connection, calling it client X\n");
      JavaProcess bob = client("bob", port);
      bob.awaitStdout("Enter a name: ");
      server.awaitStdout("Client X: Alice\n");
      bob.type("Bob");
      bob.endInput();

      InputStream rawIn = raw.getInputStream();
      assertEquals(
          ClassroomTranscript.lines("Client X connected", "X: Alice received before Y: Bob"),
          new String(rawIn.readAllBytes(), StandardCharsets.UTF_8));
      assertEquals(0, bob.awaitExit(), bob.stderr());
      assertEquals(
          ClassroomTranscript.client("Y", "Bob", "X: Alice received before Y: Bob"), bob.stdout());
    }
    assertEquals(0, server.awaitExit(), server.stderr());
    assertEquals(ClassroomTranscript.server("Client X: Alice", "Client Y: Bob"), server.stdout());
  }

  @Test
  void withRelayTheClientProcessesChatUntilByeAndEveryoneExitsZero() throws Exception {
    JavaProcess server = server("--relay");
    int port = port(server);
    JavaProcess[] pair = connectBoth(server, port, "--relay");
    JavaProcess alice = pair[0];
    JavaProcess bob = pair[1];
    alice.type("Alice");
    server.awaitStdout("Client X: Alice\n");
    bob.type("Bob");
    bob.awaitStdout("X: Alice received before Y: Bob\n");
    alice.awaitStdout("X: Alice received before Y: Bob\n");
    alice.type("hello Bob");
    bob.awaitStdout("X: hello Bob\n");
    bob.type("hi Alice");
    alice.awaitStdout("Y: hi Alice\n");
    alice.type("Bye");
    alice.endInput();
    bob.endInput();

    assertEquals(0, alice.awaitExit(), alice.stderr());
    assertEquals(0, bob.awaitExit(), bob.stderr());
    assertEquals(0, server.awaitExit(), server.stderr());
    String ack = "X: Alice received before Y: Bob";
    assertEquals(
        ClassroomTranscript.client("X", "Alice", ack, "hello Bob", "Y: hi Alice", "Bye", "Bye"),
        alice.stdout());
    assertEquals(
        ClassroomTranscript.client("Y", "Bob", ack, "X: hello Bob", "hi Alice", "Bye"),
        bob.stdout());
    assertEquals(
        ClassroomTranscript.server(
            "Client X: Alice", "Client Y: Bob", "X: hello Bob", "Y: hi Alice", "Done."),
        server.stdout());
  }
}
