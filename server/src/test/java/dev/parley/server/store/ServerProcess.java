package dev.parley.server.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parley server in a child JVM ({@code dev.parley.server.Main} on the test classpath), on
 * 127.0.0.1 and a free port it reports itself, so a test can kill it with SIGKILL the way a crash
 * or {@code kill -9} would and start it again on the same data folder. Its output goes to a log
 * file in the test's folder. Test thread only, apart from {@link #kill}, which any thread may call.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("parley listening on [^\\s:]+:(\\d+)");
  private static final Duration START_WAIT = Duration.ofSeconds(30);

  private final Process process;
  private final Path log;
  private final int port;

  private ServerProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts a server on {@code dataDir} and waits until it listens. */
  static ServerProcess start(Path dataDir, Path log, String... options) throws IOException {
    Process process = launch(dataDir, log, options);
    int[] port = {0};
    await()
        .atMost(START_WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              port[0] = listeningPort(log);
              return port[0] > 0 || !process.isAlive();
            });
    if (port[0] == 0) {
      fail("the server exited with " + process.exitValue() + " before listening:\n" + read(log));
    }
    return new ServerProcess(process, log, port[0]);
  }

  /** What a server that is expected not to start says, and its exit status. */
  record Refusal(int exitStatus, String output) {}

  static Refusal startExpectingRefusal(Path dataDir, Path log) throws Exception {
    Process process = launch(dataDir, log);
    if (!process.waitFor(START_WAIT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      fail("the server did not exit; it says:\n" + read(log));
    }
    return new Refusal(process.exitValue(), read(log));
  }

  private static Process launch(Path dataDir, Path log, String... options) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.parley.server.Main");
    command.addAll(
        List.of(
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--data-dir",
            dataDir.toString(),
            "--max-rate",
            "0"));
    command.addAll(List.of(options));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // The port is read from the INFO line "parley listening on ...", whatever a logback-test.xml
    // on the test classpath sets as the default level.
    builder.environment().put("PARLEY_LOG_LEVEL", "INFO");
    return builder.start();
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static int listeningPort(Path log) throws IOException {
    Matcher m = LISTENING.matcher(read(log));
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  static String read(Path log) throws IOException {
    // Not readString: the log may end in the middle of a character while the server writes.
    return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  String output() throws IOException {
    return read(log);
  }

  /** SIGKILL: no shutdown hook, no last commit, nothing flushed; as a crash. Any thread. */
  void kill() {
    process.destroyForcibly();
  }

  /** SIGTERM: the normal way to stop the server, which then shuts down cleanly. Any thread. */
  void terminate() {
    process.destroy();
  }

  /** The exit status, once the process has exited. */
  int exitStatus() {
    return process.exitValue();
  }

  /** Kills the server and waits until the process is gone (and with it the folder's lock). */
  void killAndWait() throws InterruptedException {
    kill();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the killed server did not exit");
  }

  void awaitExit() throws InterruptedException {
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the server did not exit");
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        killAndWait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
