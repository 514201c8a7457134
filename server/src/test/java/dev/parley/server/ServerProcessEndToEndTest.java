package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
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
  void aMaxClientsAboveTheFileLimitIsWarnedAboutAtStart() throws Exception {
    ServerProcess server = start("--store", "memory", "--max-clients", "100000000");
    connect(server, "alice").signIn("alice"); // it started, and serves
    server.process.destroy();
    server.expectExitZero();
    synchronized (server.output) {
      assertTrue(
          server.output.stream().anyMatch(l -> l.contains("WARN") && l.contains("--max-clients")),
          "no warning about the file limit: " + server.output);
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

  /** Starts {@code Main} in a new JVM on the test class path, on a port of its choosing. */
  private ServerProcess start(String... options) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-DPARLEY_LOG_LEVEL=INFO"); // the test logback config is quiet below WARN
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
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
