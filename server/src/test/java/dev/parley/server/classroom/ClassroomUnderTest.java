package dev.parley.server.classroom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The classroom server a test talks to, on 127.0.0.1 and a free port, its printed lines captured,
 * and the clients the test opened on it. Registered as an extension; each test starts it with its
 * own config, and after the test it closes the clients, then the server. Test thread only.
 */
final class ClassroomUnderTest implements AfterEachCallback {
  static final Duration PATIENCE = Duration.ofSeconds(10);

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream(); // synchronized
  private final List<RawClient> clients = new ArrayList<>();
  private ClassroomServer server;

  void start(ClassroomConfig config) throws IOException {
    if (server != null) {
      throw new IllegalStateException("the classroom server is running already");
    }
    server =
        ClassroomServer.start(
            config.withAddress("127.0.0.1", 0),
            new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    for (RawClient c : clients) {
      c.close();
    }
    clients.clear();
    if (server != null) {
      server.close();
      server = null;
    }
  }

  ClassroomServer server() {
    return server;
  }

  RawClient connect() throws IOException {
    RawClient client = RawClient.connect(server.port());
    clients.add(client);
    return client;
  }

  /** Everything the server printed so far, one entry per line. */
  List<String> printed() {
    String text = printed.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\n", -1)).subList(0, count(text));
  }

  private static int count(String text) {
    return (int) text.chars().filter(c -> c == '\n').count();
  }

  /** Awaitility with this suite's patience, polling often: the server answers in microseconds. */
  static ConditionFactory await() {
    return Awaitility.await()
        .atMost(PATIENCE)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(5));
  }

  /** Waits until the server has printed {@code line}. */
  void awaitPrinted(String line) {
    await().alias("server prints <" + line + ">").until(() -> printed().contains(line));
  }

  /** Waits until the server has printed {@code line} {@code times} times (once per pair, say). */
  void awaitPrinted(String line, int times) {
    await()
        .alias("server prints <" + line + "> " + times + " times")
        .until(() -> printed().stream().filter(line::equals).count() == times);
  }

  /** Waits until the server has printed exactly {@code lines}, in this order and nothing else. */
  void awaitTranscript(List<String> lines) {
    await().alias("server transcript").untilAsserted(() -> assertEquals(lines, printed()));
  }
}
