package dev.parley.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an administrator sees of {@code Main} as a process: {@code --version}, {@code
 * --print-config}, a bad value from any source (one line, exit 2), and {@code --log-file} (dated
 * lines in the file).
 */
@EnabledOnOs(OS.LINUX)
class ServerCommandLineProcessTest {
  /** 2026-12-02T03:04:05.678Z or ...+01:00: ISO 8601 date, time and zone. */
  static final Pattern ISO_LINE =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) .*");

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private record Run(int exitCode, String out, String err) {}

  private Process start(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("PARLEY_"));
    builder.environment().putAll(env);
    builder.redirectOutput(dir.resolve("out.txt").toFile());
    builder.redirectError(dir.resolve("err.txt").toFile());
    Process p = builder.start();
    processes.add(p);
    return p;
  }

  private Run run(Map<String, String> env, String... args) throws Exception {
    Process p = start(env, args);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the process did not end");
    return new Run(
        p.exitValue(),
        Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void versionPrintsTheProjectVersionAndCommit() throws Exception {
    Run r = run(Map.of(), "--version");
    assertEquals(0, r.exitCode());
    assertTrue(
        r.out().matches("parley-server \\S+ \\(commit ([0-9a-f]{12}|unknown)\\)\n"), r.out());
  }

  @Test
  void aNegativePortThatWouldWrapTo5000IsOneLineAndExit2() throws Exception {
    Run r = run(Map.of(), "--port", "-4294962296");
    assertEquals(2, r.exitCode());
    assertEquals(
        "parley-server: --port must be a whole number from 0 to 65535, got '-4294962296'"
            + " (try --help)\n",
        r.err());
  }

  @Test
  void aBadValueFromTheEnvironmentNamesTheVariable() throws Exception {
    Run r = run(Map.of("PARLEY_MAX_CLIENTS", "-4294967295"));
    assertEquals(2, r.exitCode());
    assertEquals(
        "parley-server: environment PARLEY_MAX_CLIENTS: --max-clients must be a whole number"
            + " from 1 to 2147483647, got '-4294967295' (try --help)\n",
        r.err());
  }

  @Test
  void anUnknownKeyInTheConfigFileNamesItsLine() throws Exception {
    Path file = dir.resolve("parley.conf");
    Files.writeString(file, "port = 6000\nmax-clent = 5\n", StandardCharsets.UTF_8);
    Run r = run(Map.of(), "--config", file.toString());
    assertEquals(2, r.exitCode());
    assertEquals(
        "parley-server: " + file + " line 2: unknown setting 'max-clent' (try --help)\n", r.err());
  }

  @Test
  void anEndlessConfigFileIsOneLineAndExit2() throws Exception {
    Run r = run(Map.of(), "--config", "/dev/zero");
    assertEquals(2, r.exitCode(), r.err());
    assertEquals(
        "parley-server: config file /dev/zero is larger than 1 MiB; is it the right file?"
            + " (try --help)\n",
        r.err());
  }

  @Test
  void printConfigShowsWhereEachSettingCameFrom() throws Exception {
    Path file = dir.resolve("parley.conf");
    Files.writeString(file, "max-clients = 300\n", StandardCharsets.UTF_8);
    Run r = run(Map.of("PARLEY_PORT", "6001"), "--config", file.toString(), "--print-config");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("port = 6001"), r.out());
    assertTrue(r.out().contains("# environment PARLEY_PORT\n"), r.out());
    assertTrue(r.out().contains("max-clients = 300"), r.out());
    assertTrue(r.out().contains("# " + file + " line 1\n"), r.out());
  }

  /** A throwaway server's arguments with {@code --log-file log}, then {@code more}. */
  private static String[] withLogFile(Path log, String... more) {
    List<String> args =
        new ArrayList<>(List.of("--port", "0", "--store", "memory", "--log-file", log.toString()));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  /** Starts a server that logs to logs/parley.log in a folder it makes; returns once it listens. */
  private Path logOfAStartedServer() throws IOException {
    Path log = dir.resolve("logs").resolve("parley.log");
    start(Map.of(), withLogFile(log, "--log-level", "info"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Files.exists(log)
                    && Files.readString(log, StandardCharsets.UTF_8)
                        .contains("parley listening on"));
    return log;
  }

  @Test
  void theLogFileGetsDatedLines() throws Exception {
    Path log = logOfAStartedServer();
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    for (String line : lines) {
      assertTrue(ISO_LINE.matcher(line).matches(), "not dated: " + line);
    }
    assertTrue(
        lines.stream().anyMatch(l -> l.matches(".* parley listening on .* \\(parley-server .*\\)")),
        lines.toString());
  }

  @Test
  void theLogFileAndTheFolderMadeForItAreTheOwnersOnly() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path log = logOfAStartedServer();
    assertEquals(
        "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log.getParent())));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
  }

  @Test
  void aLogFileThatCannotBeWrittenStopsTheStart() throws Exception {
    Path notAFolder = dir.resolve("file");
    Files.writeString(notAFolder, "", StandardCharsets.UTF_8);
    Run r = run(Map.of(), withLogFile(notAFolder.resolve("parley.log")));
    assertEquals(1, r.exitCode());
    assertTrue(
        r.err().startsWith("parley-server: cannot start on 127.0.0.1:0: cannot write the log to"),
        r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }
}
