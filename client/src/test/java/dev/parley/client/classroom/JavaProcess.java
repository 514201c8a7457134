package dev.parley.client.classroom;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code java} process of a built jar, its standard input piped from the test and its output in
 * files, as a person would run it with a script. Test thread only.
 */
final class JavaProcess implements AutoCloseable {
  static final Duration PATIENCE = Duration.ofSeconds(20);

  private final Process process;
  private final Path out;
  private final Path err;
  private final OutputStream in;

  private JavaProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
    this.in = process.getOutputStream();
  }

  /** Starts {@code java <args>} with its output going to files named after {@code name}. */
  static JavaProcess start(Path dir, String name, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(args);
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().remove("PARLEY_LOG_LEVEL"); // the server's port is read from its log
    return new JavaProcess(builder.start(), out, err);
  }

  /** A jar the build made, or a failure that says how to make it. */
  static Path jar(String property) {
    String path = System.getProperty(property);
    if (path == null || !Files.isRegularFile(Path.of(path))) {
      throw new AssertionError(
          "no jar at " + path + " (" + property + "): run 'mvn verify' from the project root");
    }
    return Path.of(path);
  }

  /** Types {@code line} and Enter on the process's standard input. */
  void type(String line) throws IOException {
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  void endInput() throws IOException {
    in.close();
  }

  String stdout() throws IOException {
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  String stderr() throws IOException {
    return Files.readString(err, StandardCharsets.UTF_8);
  }

  void awaitStdout(String text) {
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> stdout().contains(text));
  }

  void awaitStderr(String text) {
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> stderr().contains(text));
  }

  /** Waits for the process to end and returns its exit code. */
  int awaitExit() throws InterruptedException, IOException {
    if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError(
          "process did not exit; stdout:\n" + stdout() + "\nstderr:\n" + stderr());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
