package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: options, positional arguments, exit codes and one-line errors. */
class MainTest {
  private ClientRun client;

  @AfterEach
  void closeClient() throws Exception {
    if (client != null) {
      client.close();
    }
  }

  private ClientRun run(String... args) throws Exception {
    client = ClientRun.main(Map.of(), args);
    return client;
  }

  /** Runs with bad arguments: exit 2 and exactly this one line on stderr, nothing on stdout. */
  private void assertUsageError(String expectedErr, String... args) throws Exception {
    ClientRun run = run(args);
    assertEquals(2, run.exitCode());
    assertEquals(expectedErr + "\n", run.err());
    assertEquals("", run.out());
  }

  @Test
  void helpPrintsUsageAndExitsZero() throws Exception {
    ClientRun run = run("--help");
    assertEquals(0, run.exitCode());
    assertTrue(
        run.out().startsWith("usage: parley-client [options] [HOST [PORT [NAME]]]\n"), run.out());
    assertTrue(run.out().contains("--password-file <FILE>"), run.out());
    assertTrue(run.out().contains("default 5000"), run.out());
    assertEquals("", run.err());
  }

  @Test
  void aBadPortIsAUsageError() throws Exception {
    assertUsageError(
        "parley-client: bad port 'abc': expected a number from 1 to 65535 (see --help)",
        "--port",
        "abc");
    assertUsageError(
        "parley-client: bad port '70000': expected a number from 1 to 65535 (see --help)",
        "127.0.0.1",
        "70000",
        "bob");
  }

  @Test
  void aNegativePortIsRefusedNotWrapped() throws Exception {
    // -4294962296 is 5000 once narrowed to an int.
    assertUsageError(
        "parley-client: bad port '-4294962296': expected a number from 1 to 65535 (see --help)",
        "--port",
        "-4294962296");
  }

  @Test
  void versionPrintsTheProjectVersionAndCommit() throws Exception {
    ClientRun run = run("--version");
    assertEquals(0, run.exitCode());
    assertTrue(
        run.out().matches("parley-client \\S+ \\(commit ([0-9a-f]{12}|unknown)\\)\n"), run.out());
    assertEquals("", run.err());
  }

  @Test
  void anUnknownOptionIsAUsageError() throws Exception {
    assertUsageError("parley-client: Unrecognized option: --nope (see --help)", "--nope");
  }

  @Test
  void relayWithoutClassroomAndANameInClassroomModeAreUsageErrors() throws Exception {
    assertUsageError("parley-client: --relay goes with --classroom (see --help)", "--relay");
    assertUsageError(
        "parley-client: classroom mode asks for a name itself; no user or password (see --help)",
        "--classroom",
        "--user",
        "bob");
  }

  @Test
  void tooManyArgumentsIsAUsageError() throws Exception {
    assertUsageError(
        "parley-client: too many arguments: h 1 bob extra (see --help)", "h", "1", "bob", "extra");
  }

  @Test
  void anOptionAndItsPositionalTwinTogetherIsAUsageError() throws Exception {
    assertUsageError(
        "parley-client: the host is given twice: --host and 10.0.0.1 (see --help)",
        "--host",
        "127.0.0.1",
        "10.0.0.1");
  }

  @Test
  void anInvalidNameIsAUsageError() throws Exception {
    assertUsageError(
        "parley-client: invalid name 'bad name': a name uses only A-Z a-z 0-9 _ - (see --help)",
        "--user",
        "bad name");
    assertUsageError(
        "parley-client: invalid name 'LIST': LIST is a protocol keyword (see --help)",
        "127.0.0.1",
        "5000",
        "LIST");
  }

  @Test
  void aMissingPasswordFileIsAUsageError(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope.txt");
    ClientRun run = run("--user", "bob", "--password-file", missing.toString());
    assertEquals(2, run.exitCode());
    assertTrue(
        run.err().startsWith("parley-client: cannot read password file " + missing + ": "),
        run.err());
    assertEquals(1, run.err().lines().count());
  }

  @Test
  void aRefusedConnectionIsOneLineAndExitOne() throws Exception {
    int port;
    try (ServerSocketChannel closed = ServerSocketChannel.open()) {
      closed.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = ((InetSocketAddress) closed.getLocalAddress()).getPort();
    }
    ClientRun run = run("127.0.0.1", String.valueOf(port), "bob");
    assertEquals(1, run.exitCode());
    assertEquals("cannot connect to 127.0.0.1:" + port + ": Connection refused\n", run.err());
    assertEquals("", run.out());
  }

  @Test
  void noNameAndNoInputIsOneLineAndExitOne() throws Exception {
    ClientRun run = run("127.0.0.1", "5000");
    run.endInput();
    assertEquals(1, run.exitCode());
    assertEquals("cannot sign in: no name given\n", run.err());
  }

  @Test
  void anInvalidNameFromAScriptIsOneLineAndExitOne() throws Exception {
    ClientRun run = run("127.0.0.1", "5000");
    run.type("no spaces allowed");
    assertEquals(1, run.exitCode());
    assertEquals(
        "cannot sign in as no spaces allowed: a name uses only A-Z a-z 0-9 _ -\n", run.err());
  }

  @Test
  void thePasswordFileGivesTheFirstLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pw.txt");
    Files.writeString(file, "s3cret with spaces\nsecond line\n", StandardCharsets.UTF_8);
    try (FakeServer server = new FakeServer()) {
      ClientRun run =
          run(
              "--port",
              String.valueOf(server.port()),
              "--user",
              "bob",
              "--password-file",
              file.toString());
      server.accept();
      server.send("C HELLO parley/1", "C PASSWORD NEW");
      server.expect("C NICK bob");
      server.expect("C PASS s3cret with spaces");
      server.send("C READY bob 1", "C HISTORY 0");
      run.endInput();
      server.expectExitAndSayBye();
      assertEquals(0, run.exitCode());
    }
  }
}
