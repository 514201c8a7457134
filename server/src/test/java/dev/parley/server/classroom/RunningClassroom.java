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

/**
 * A classroom server on 127.0.0.1 and a free port, its printed lines captured, and the clients a
 * test opened on it; {@link #close()} closes them all. Test thread only.
 */
final class RunningClassroom implements AutoCloseable {
  static final Duration PATIENCE = Duration.ofSeconds(10);

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream(); // synchronized
  private final ClassroomServer server;
  private final List<RawClient> clients = new ArrayList<>();

  private RunningClassroom(ClassroomConfig config) throws IOException {
    this.server =
        ClassroomServer.start(
            config.withAddress("127.0.0.1", 0),
            new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  static RunningClassroom start(ClassroomConfig config) throws IOException {
    return new RunningClassroom(config);
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

  @Override
  public void close() throws IOException {
    for (RawClient c : clients) {
      c.close();
    }
    server.close();
  }
}
