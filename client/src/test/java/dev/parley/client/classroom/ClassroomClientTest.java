package dev.parley.client.classroom;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.classroom.ClassroomConfig;
import dev.parley.server.classroom.ClassroomServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The classroom client against a real classroom server in this JVM: what each person sees, to the
 * character.
 */
class ClassroomClientTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private final ByteArrayOutputStream serverPrinted = new ByteArrayOutputStream();
  private ClassroomServer server;

  /** One client running on its own thread, with a keyboard and a captured screen. */
  private static final class Person {
    final Keyboard keyboard = new Keyboard();
    final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    final CompletableFuture<Integer> exit;

    Person(int port, boolean relay) {
      PrintStream out = new PrintStream(screen, true, StandardCharsets.UTF_8);
      exit =
          CompletableFuture.supplyAsync(
              () -> ClassroomClient.run("127.0.0.1", port, relay, keyboard, out, out, true));
    }

    String screen() {
      return screen.toString(StandardCharsets.UTF_8);
    }

    void awaitScreen(String text) {
      await().atMost(PATIENCE).until(() -> screen().contains(text));
    }

    int exitCode() throws Exception {
      return exit.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
  }

  private int start(ClassroomConfig config) throws IOException {
    server =
        ClassroomServer.start(
            config.withAddress("127.0.0.1", 0),
            new PrintStream(serverPrinted, true, StandardCharsets.UTF_8));
    return server.port();
  }

  private String serverOutput() {
    return serverPrinted.toString(StandardCharsets.UTF_8);
  }

  private void awaitServerPrinted(String line) {
    await().atMost(PATIENCE).until(() -> serverOutput().contains(line + "\n"));
  }

  /** Two people connect, X first; each sees the connected line and the prompt. */
  private Person[] connectBoth(int port, boolean relay) {
    Person x = new Person(port, relay);
    awaitServerPrinted("Accepted first connection, calling it client X");
    Person y = new Person(port, relay);
    x.awaitScreen("Enter a name: ");
    y.awaitScreen("Enter a name: ");
    return new Person[] {x, y};
  }

  @Test
  void bothSeeTheirLabelTheirMessageAndTheAcknowledgmentInArrivalOrder() throws Exception {
    int port = start(ClassroomConfig.defaults().withOnce(true));
    Person[] pair = connectBoth(port, false);
    // Y types first although X connected first.
    pair[1].keyboard.type("Bob");
    awaitServerPrinted("Client Y: Bob");
    pair[0].keyboard.type("Alice");

    assertEquals(0, pair[0].exitCode());
    assertEquals(0, pair[1].exitCode());
    String ack = "Y: Bob received before X: Alice";
    assertEquals(ClassroomTranscript.client("X", "Alice", ack), pair[0].screen());
    assertEquals(ClassroomTranscript.client("Y", "Bob", ack), pair[1].screen());
    assertTrue(server.awaitFinished(10, TimeUnit.SECONDS));
    assertEquals(ClassroomTranscript.server("Client Y: Bob", "Client X: Alice"), serverOutput());
  }

  @Test
  void aBlankNameIsAskedAgain() throws Exception {
    int port = start(ClassroomConfig.defaults());
    Person[] pair = connectBoth(port, false);
    pair[0].keyboard.type("  ");
    pair[0].keyboard.type("Alice");
    awaitServerPrinted("Client X: Alice");
    pair[1].keyboard.type("Bob");

    assertEquals(0, pair[0].exitCode());
    assertEquals(
        ClassroomTranscript.lines(
            "Client X connected",
            "Enter a name:   ",
            "Enter a name: Alice",
            "Client X: Alice",
            "X: Alice received before Y: Bob"),
        pair[0].screen());
  }

  @Test
  void withRelayTheyChatUntilOneTypesBye() throws Exception {
    int port = start(ClassroomConfig.defaults().withRelay(true));
    Person[] pair = connectBoth(port, true);
    Person x = pair[0];
    Person y = pair[1];
    x.keyboard.type("Alice");
    awaitServerPrinted("Client X: Alice");
    y.keyboard.type("Bob");
    x.awaitScreen("X: Alice received before Y: Bob");
    y.awaitScreen("X: Alice received before Y: Bob");

    x.keyboard.type("hello Bob");
    y.awaitScreen("X: hello Bob\n");
    y.keyboard.type("hi Alice");
    x.awaitScreen("Y: hi Alice\n");
    y.keyboard.type("Bye");

    assertEquals(0, x.exitCode());
    assertEquals(0, y.exitCode());
    String ack = "X: Alice received before Y: Bob";
    assertEquals(
        ClassroomTranscript.client("X", "Alice", ack, "hello Bob", "Y: hi Alice", "Bye"),
        x.screen());
    assertEquals(
        ClassroomTranscript.client("Y", "Bob", ack, "X: hello Bob", "hi Alice", "Bye", "Bye"),
        y.screen());
    awaitServerPrinted("Done.");
  }

  @Test
  void aPersonWhosePartnerLeavesIsToldAndTheClientExitsWithOne() throws Exception {
    int port = start(ClassroomConfig.defaults().withRelay(true));
    Person[] pair = connectBoth(port, true);
    pair[0].keyboard.type("Alice");
    awaitServerPrinted("Client X: Alice");
    pair[1].keyboard.end(); // Y's input ends before it gives a name: it leaves

    assertEquals(1, pair[1].exitCode());
    assertEquals(1, pair[0].exitCode());
    assertEquals(
        ClassroomTranscript.client("X", "Alice", "Client Y disconnected"), pair[0].screen());
  }

  @Test
  void theClientWorksWithARawPartnerThatSendsNoLineEnd() throws Exception {
    int port = start(ClassroomConfig.defaults());
    Person x = new Person(port, false);
    awaitServerPrinted("Accepted first connection, calling it client X");
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress("127.0.0.1", port));
      raw.setSoTimeout((int) PATIENCE.toMillis());
      OutputStream rawOut = raw.getOutputStream();
      x.awaitScreen("Enter a name: ");
      rawOut.write("Client Y: Bob".getBytes(StandardCharsets.UTF_8));
      rawOut.flush();
      awaitServerPrinted("Client Y: Bob");
      x.keyboard.type("Alice");

      assertEquals(0, x.exitCode());
      String rawSaw = new String(raw.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(
          ClassroomTranscript.lines("Client Y connected", "Y: Bob received before X: Alice"),
          rawSaw);
    }
    assertEquals(
        ClassroomTranscript.client("X", "Alice", "Y: Bob received before X: Alice"), x.screen());
  }

  @Test
  void aServerThatCannotBeReachedIsReportedWithExitOne() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(screen, true, StandardCharsets.UTF_8);
    int code = ClassroomClient.run("127.0.0.1", closedPort, false, new Keyboard(), out);
    assertEquals(1, code);
    String printed = screen.toString(StandardCharsets.UTF_8);
    // One line saying why, and no prompt: there is nobody to give a name to.
    assertTrue(printed.startsWith("parley-client: cannot connect to 127.0.0.1:"), printed);
    assertEquals(1, printed.lines().count(), printed);
  }
}
