package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a separate process ({@code java ... dev.parley.server.Main}), stopped the way an
 * operator stops it: SIGTERM ({@link Process#destroy()} on Linux) or Ctrl-C (SIGINT). Every client
 * gets {@code C BYE server shutting down}, the process exits 0, and what was confirmed is in the
 * SQLite database after a restart.
 */
@EnabledOnOs(OS.LINUX)
class ServerProcessEndToEndTest {
  private static final Pattern LISTENING = Pattern.compile("parley listening on [^ ]+:(\\d+)");
  private static final Pattern SENT_PM = Pattern.compile("C SENT PM ([1-9]\\d*) \\d+");
  private static final long EXIT_WAIT_SECONDS = 10;
  private static final Pattern CAPPED =
      Pattern.compile("WARN .*serving at most (\\d+) clients, not --max-clients 10000");

  @TempDir Path dataDir;

  private final List<ServerProcess> processes = new ArrayList<>();
  private final List<LineClient> clients = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (LineClient c : clients) {
      c.close();
    }
    for (ServerProcess p : processes) {
      p.process.destroyForcibly();
      p.process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  void sigtermSaysByeToEveryClientAndExitsZero() throws Exception {
    ServerProcess server = start("--store", "memory");
    LineClient alice = connect(server, "alice");
    alice.signIn("alice");
    LineClient bob = connect(server, "bob");
    bob.signIn("bob");
    alice.expect("C JOIN bob");
    LineClient lurker = connect(server, "lurker");
    lurker.expectStartsWith("C HELLO ");
    alice.send("C PM", "D before the end");
    alice.expect("C PROMPT TEXT", "C SENT PM 1 1");
    assertEquals("before the end", Delivered.pm(bob.next()).text());

    server.process.destroy(); // SIGTERM

    for (LineClient c : List.of(alice, bob, lurker)) {
      c.expect("C BYE server shutting down");
      c.expectClosed();
    }
    server.expectExitZero();
  }

  @Test
  void aClientThatStopsReadingHoldsUpTheShutdownForTheGraceAtMost() throws Exception {
    ServerProcess server =
        start("--store", "memory", "--max-rate", "0", "--max-queue", String.valueOf(64 << 20));
    LineClient alice = connect(server, "alice");
    alice.signIn("alice");
    LineClient stuck = connect(server, "stuck");
    stuck.signIn("stuck");
    alice.expect("C JOIN stuck");
    stuck.stopReading();
    // 8 MB to a client that reads nothing: more than the kernel's buffers hold, so most of it
    // is still queued in the server when it is told to stop.
    String text = "s".repeat(4000);
    String[] lines = new String[2 * 2000];
    for (int i = 0; i < 2000; i++) {
      lines[2 * i] = "C PM";
      lines[2 * i + 1] = "D " + text;
    }
    alice.send(lines);
    String lastSent = "C SENT PM 2000 1";
    alice.nextMatching(line -> line.equals(lastSent));

    long start = System.nanoTime();
    server.process.destroy();
    alice.expect("C BYE server shutting down");
    alice.expectClosed();
    server.expectExitZero();
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 8000, "the shutdown took " + millis + " ms");
  }

  @Test
  void underALowFileLimitMaxClientsIsCappedSoTheServerNeverRunsOutOfDescriptors() throws Exception {
    // 64 files and the default --max-clients 10000: without the cap, a hundred clients exhaust
    // the descriptors and every accept fails (a stack trace each, the loop spinning).
    ServerProcess server = startUnderFileLimit(64, "--store", "memory");
    LineClient alice = connect(server, "alice");
    alice.signIn("alice");
    int cap;
    synchronized (server.output) {
      Matcher m =
          server.output.stream()
              .map(CAPPED::matcher)
              .filter(Matcher::find)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no warning of the cap: " + server.output));
      cap = Integer.parseInt(m.group(1));
    }
    assertTrue(cap >= 2 && cap < 64, "capped at " + cap);

    int port = server.port.get();
    int admitted = 1; // alice
    int refused = 0;
    for (int i = 0; i < 100; i++) {
      LineClient c = LineClient.connect(port, "extra" + i);
      clients.add(c);
      String first = c.next();
      if (first.startsWith("C HELLO ")) {
        admitted++;
      } else {
        assertEquals("C ERR 503 server full", first);
        c.expectClosed();
        refused++;
      }
    }
    assertEquals(cap, admitted, "connections admitted up to the cap, alice included");
    assertEquals(101 - cap, refused);

    alice.send("C PING still-there", "C LIST");
    alice.expect("C PONG still-there", "C USERS 1 alice");
    server.process.destroy();
    server.expectExitZero();
    synchronized (server.output) {
      // The cap, listening, one line for all the refusals, shutting down, stopped: not a line
      // per connection, let alone per failed accept.
      assertTrue(server.output.size() <= 8, "the server logged: " + server.output);
    }
  }

  @Test
  void ctrlCShutsDownTheSameWay() throws Exception {
    ServerProcess server = start("--store", "memory");
    LineClient alice = connect(server, "alice");
    alice.signIn("alice");

    Process kill =
        new ProcessBuilder("kill", "-INT", String.valueOf(server.process.pid()))
            .redirectErrorStream(true)
            .start();
    assertEquals(0, kill.waitFor(), "kill -INT");

    alice.expect("C BYE server shutting down");
    alice.expectClosed();
    server.expectExitZero();
  }

  @Test
  void messagesConfirmedBeforeSigtermAreInTheDatabaseAfterARestart() throws Exception {
    ServerProcess server = start("--store", "sqlite", "--data-dir", dataDir.toString());
    LineClient alice = connect(server, "alice");
    alice.signIn("alice");
    for (int i = 1; i <= 20; i++) {
      alice.send("C PM", "D settled " + i);
      alice.expect("C PROMPT TEXT", "C SENT PM " + i + " 0");
    }
    // More messages pipelined, SIGTERM while they are on their way to the disk: those that get a
    // C SENT before the goodbye must be kept; the others may or may not be.
    String[] burst = new String[2 * 200];
    for (int i = 0; i < 200; i++) {
      burst[2 * i] = "C PM";
      burst[2 * i + 1] = "D burst " + (i + 1);
    }
    alice.send(burst);
    server.process.destroy();
    List<Long> confirmed = new ArrayList<>();
    for (long seq = 1; seq <= 20; seq++) {
      confirmed.add(seq);
    }
    List<String> lines = new ArrayList<>();
    alice.expectClosedAfter(lines);
    for (String line : lines) {
      Matcher m = SENT_PM.matcher(line);
      if (m.matches()) {
        confirmed.add(Long.parseLong(m.group(1)));
      }
    }
    assertEquals(
        "C BYE server shutting down",
        lines.get(lines.size() - 1),
        "the last line before the close");
    server.expectExitZero();

    ServerProcess restarted = start("--store", "sqlite", "--data-dir", dataDir.toString());
    LineClient bob = connect(restarted, "bob");
    bob.signIn("bob");
    bob.send("C CH 1000");
    List<Long> stored = new ArrayList<>();
    for (String line : bob.history()) {
      stored.add(Delivered.pm(line).seq());
    }
    assertTrue(
        stored.containsAll(confirmed),
        "confirmed " + confirmed.size() + " messages, stored " + stored.size() + ": " + stored);
    for (int i = 0; i < stored.size(); i++) {
      assertEquals(i + 1, stored.get(i), "the stored seqs have no gap");
    }
    // The sequence goes on after the highest stored seq.
    bob.send("C PM", "D after the restart");
    bob.expect("C PROMPT TEXT", "C SENT PM " + (stored.size() + 1) + " 0");
    restarted.process.destroy();
    restarted.expectExitZero();
  }

  // ---- the server process ----

  private final class ServerProcess {
    final Process process;
    final List<String> output = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Integer> port = new CompletableFuture<>();

    ServerProcess(Process process) {
      this.process = process;
      Thread reader = new Thread(this::readOutput, "server-output-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    private void readOutput() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          output.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException e) {
        // the process is gone
      }
      port.completeExceptionally(new AssertionError("the server never listened: " + output));
    }

    void expectExitZero() throws InterruptedException {
      if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
        fail("the server did not exit within " + EXIT_WAIT_SECONDS + " s: " + output);
      }
      assertEquals(0, process.exitValue(), "exit code; output: " + output);
      synchronized (output) {
        for (String line : output) {
          assertTrue(!line.contains(" ERROR "), "the server logged an error: " + output);
        }
      }
    }
  }

  /**
   * Libraries only the browser tests use (Selenium and what it brings): a server never loads them,
   * but every jar on the class path may cost a descriptor at start, which the file-limit test
   * counts.
   */
  private static final List<String> BROWSER_TEST_LIBRARIES =
      List.of(
          "/org/seleniumhq/",
          "/io/opentelemetry/",
          "/net/bytebuddy/",
          "/org/jetbrains/annotations/",
          "/com/google/auto/service/",
          "/org/apache/commons/commons-exec/",
          "/dev/failsafe/",
          "/org/jspecify/",
          "/com/google/guava/");

  /** The test class path without {@link #BROWSER_TEST_LIBRARIES}. */
  private static String serverClassPath() {
    List<String> kept = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String path = entry.replace(File.separatorChar, '/');
      if (BROWSER_TEST_LIBRARIES.stream().noneMatch(path::contains)) {
        kept.add(entry);
      }
    }
    return String.join(File.pathSeparator, kept);
  }

  /** Starts {@code Main} in a new JVM on the test class path, on a port of its choosing. */
  private ServerProcess start(String... options) throws IOException {
    return start(List.of(), options);
  }

  /** As {@link #start(String...)}, with the process limited to {@code files} open files. */
  private ServerProcess startUnderFileLimit(int files, String... options) throws IOException {
    // The shell sets the limit (soft and hard) and becomes the JVM; "$0" "$@" pass the command
    // through unquoted.
    return start(List.of("bash", "-c", "ulimit -n " + files + " && exec \"$0\" \"$@\""), options);
  }

  private ServerProcess start(List<String> prefix, String... options) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-DPARLEY_LOG_LEVEL=INFO"); // the test logback config is quiet below WARN
    command.add("-cp");
    command.add(serverClassPath());
    command.add(Main.class.getName());
    command.addAll(List.of("--host", "127.0.0.1", "--port", "0"));
    command.addAll(List.of(options));
    ServerProcess server =
        new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    processes.add(server);
    return server;
  }

  private LineClient connect(ServerProcess server, String label) throws Exception {
    int port = server.port.get(20, TimeUnit.SECONDS);
    LineClient client = LineClient.connect(port, label);
    clients.add(client);
    return client;
  }
}
