package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged client jar, driven through a pipe as a user's script would drive it, against the
 * real server on loopback.
 */
class ClientJarIT extends LocalServerFixture {
  @Test
  void aPipedScriptSendsAPublicMessageThatAnotherUserReceives() throws Exception {
    try (Socket alice = new Socket("127.0.0.1", server.port())) {
      BufferedReader aliceIn = reader(alice);
      send(alice, "C NICK alice");
      assertTrue(aliceIn.readLine().startsWith("C HELLO parley/1"));
      assertEquals("C READY alice 1", aliceIn.readLine());
      assertEquals("C HISTORY 0", aliceIn.readLine());

      Result bob = runClient("hello from a script\n", "127.0.0.1", port(), "bob");

      assertEquals(0, bob.exitCode, bob.describe());
      assertTrue(bob.stdout.contains("Signed in as bob (2 users online)"), bob.describe());
      assertTrue(bob.stdout.contains("] bob: hello from a script"), bob.describe());
      assertEquals("C JOIN bob", aliceIn.readLine());
      String delivered = aliceIn.readLine();
      assertTrue(
          delivered.matches("D PM 1 \\S+Z bob hello from a script"), "alice got: " + delivered);
      assertEquals("C LEAVE bob", aliceIn.readLine());
    }
  }

  @Test
  void aPipedScriptSendsADirectMessageAndListsUsers() throws Exception {
    try (Socket carol = new Socket("127.0.0.1", server.port())) {
      BufferedReader carolIn = reader(carol);
      send(carol, "C NICK carol");
      carolIn.readLine(); // HELLO
      carolIn.readLine(); // READY
      carolIn.readLine(); // HISTORY 0

      Result dave =
          runClient(
              "/list\nC DM\nC carol\nD psst\n/msg carol again\n", "127.0.0.1", port(), "dave");

      assertEquals(0, dave.exitCode, dave.describe());
      assertTrue(dave.stdout.contains("Online (2): carol dave"), dave.describe());
      assertTrue(dave.stdout.contains("] (DM) you -> carol: psst"), dave.describe());
      assertTrue(dave.stdout.contains("] (DM) you -> carol: again"), dave.describe());
      assertEquals("C JOIN dave", carolIn.readLine());
      assertTrue(carolIn.readLine().matches("D DM 1 \\S+Z dave carol psst"));
      assertTrue(carolIn.readLine().matches("D DM 2 \\S+Z dave carol again"));
    }
  }

  @Test
  void aTakenNameEndsAScriptWithAOneLineReasonAndExitCodeOne() throws Exception {
    try (Socket first = new Socket("127.0.0.1", server.port())) {
      BufferedReader in = reader(first);
      send(first, "C NICK erin");
      in.readLine();
      assertEquals("C READY erin 1", in.readLine());

      Result second = runClient("C PM\nD never sent\n", "127.0.0.1", port(), "Erin");

      assertEquals(1, second.exitCode, second.describe());
      assertEquals(1, second.stderr.strip().lines().count(), second.describe());
      assertTrue(second.stderr.contains("409"), second.describe());
    }
  }

  @Test
  void noServerMeansExitCodeOneAndNoStackTrace() throws Exception {
    String port = port();
    server.close();
    Result result = runClient("", "127.0.0.1", port, "frank");

    assertEquals(1, result.exitCode, result.describe());
    assertTrue(result.stderr.startsWith("cannot connect to 127.0.0.1:"), result.describe());
    assertTrue(!result.stderr.contains("Exception") && !result.stderr.contains("\tat "));
  }

  private String port() {
    return String.valueOf(server.port());
  }

  private static Result runClient(String script, String... args) throws Exception {
    Path jar = Path.of(System.getProperty("parley.client.jar", "target/parley-client.jar"));
    assertTrue(Files.exists(jar), "build the jar first: " + jar);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    // Output goes to files: a pipe nobody reads could fill up and stall the client.
    Path out = Files.createTempFile("parley-client", ".out");
    Path err = Files.createTempFile("parley-client", ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(script.getBytes(StandardCharsets.UTF_8));
    }
    boolean finished = process.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly().waitFor();
    }
    String stdout = Files.readString(out);
    String stderr = Files.readString(err);
    Files.delete(out);
    Files.delete(err);
    return new Result(finished ? process.exitValue() : -1, stdout, stderr);
  }

  private record Result(int exitCode, String stdout, String stderr) {
    String describe() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  private static BufferedReader reader(Socket socket) throws IOException {
    socket.setSoTimeout(20_000);
    return new BufferedReader(
        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
  }

  private static void send(Socket socket, String line) throws IOException {
    PrintWriter out =
        new PrintWriter(
            new java.io.OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), true);
    out.print(line + "\n");
    out.flush();
  }
}
