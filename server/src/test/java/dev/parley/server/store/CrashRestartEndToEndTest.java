package dev.parley.server.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.LineClient;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Section 6's promise with a real server process: a message that was confirmed is never lost,
 * including across {@code kill -9} and a restart on the same data folder, and seq carries on.
 */
class CrashRestartEndToEndTest {
  @TempDir Path dir;

  private final List<ServerProcess> servers = new ArrayList<>();
  private final List<LineClient> clients = new ArrayList<>();
  private int starts;

  @AfterEach
  void stopEverything() throws Exception {
    for (LineClient c : clients) {
      c.close();
    }
    for (ServerProcess s : servers) {
      s.close();
    }
  }

  private Path data() {
    return dir.resolve("data");
  }

  private ServerProcess startServer(String... options) throws Exception {
    ServerProcess server =
        ServerProcess.start(data(), dir.resolve("server-" + ++starts + ".log"), options);
    servers.add(server);
    return server;
  }

  private LineClient connect(ServerProcess server, String label) throws Exception {
    LineClient c = LineClient.connect(server.port(), label);
    clients.add(c);
    return c;
  }

  /** A client signed in as {@code name}, once each of {@code signedIn} has seen it join. */
  private LineClient signIn(ServerProcess server, String name, LineClient... signedIn)
      throws Exception {
    LineClient c = connect(server, name);
    c.signIn(name);
    for (LineClient other : signedIn) {
      other.nextStartingWith("C JOIN " + name);
    }
    return c;
  }

  /** Runs {@code action} on the client's reader thread the moment its n-th confirmation arrives. */
  private static void onConfirmation(LineClient client, int n, Runnable action) {
    AtomicInteger confirmations = new AtomicInteger();
    client.onLine(
        line -> {
          if (line.startsWith("C SENT PM ") && confirmations.incrementAndGet() == n) {
            action.run();
          }
        });
  }

  private static List<String> publicMessages(String prefix, int from, int to) {
    List<String> lines = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      lines.add("C PM");
      lines.add("D " + prefix + i);
    }
    return lines;
  }

  /** seq to text of every message in the database file, read with JDBC after the server died. */
  private Map<Long, String> storedMessages() throws Exception {
    Map<Long, String> stored = new TreeMap<>();
    String url = "jdbc:sqlite:" + data().resolve(SqliteStore.DATABASE_FILE).toAbsolutePath();
    try (Connection db = DriverManager.getConnection(url);
        Statement st = db.createStatement()) {
      try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
        rs.next();
        assertEquals("ok", rs.getString(1), "the database survived the kill intact");
      }
      try (ResultSet rs = st.executeQuery("SELECT seq, text FROM messages ORDER BY seq")) {
        while (rs.next()) {
          stored.put(rs.getLong(1), rs.getString(2));
        }
      }
    }
    return stored;
  }

  /** The seq of a {@code C SENT PM <seq> <n>} line. */
  private static long sentSeq(String line) {
    return Long.parseLong(line.split(" ")[3]);
  }

  @Test
  void fiveHundredConfirmedMessagesSurviveKillNineWithTheirSeqTimeAndText() throws Exception {
    ServerProcess first = startServer();
    LineClient bob = signIn(first, "bob");
    LineClient alice = signIn(first, "alice", bob);

    alice.send(publicMessages("before the crash #", 1, 500));
    for (long seq = 1; seq <= 500; seq++) {
      assertEquals("C SENT PM " + seq + " 1", alice.nextStartingWith("C SENT PM "));
    }
    List<String> delivered = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      delivered.add(bob.nextStartingWith("D PM "));
    }

    first.killAndWait();
    ServerProcess second = startServer();
    LineClient carol = connect(second, "carol");
    carol.expectStartsWith("C HELLO ");
    carol.send("C NICK carol");
    carol.expect("C READY carol 1");
    assertEquals(delivered.subList(480, 500), carol.history(), "the sign-in replay");

    // The very lines bob was sent before the crash, times included, in seq order.
    assertEquals(delivered, carol.chatHistory(1000));
    assertEquals(501, carol.publicMessage("after the restart"), "seq carries on");
  }

  @Test
  void aCrashInTheMiddleOfABurstLosesNothingThatWasConfirmedOrDelivered() throws Exception {
    int burst = 3000;
    int killAfter = 1000;
    ServerProcess first = startServer();
    LineClient bob = signIn(first, "bob");
    LineClient alice = signIn(first, "alice", bob);
    onConfirmation(alice, killAfter, first::kill);

    CompletableFuture<Void> sending =
        CompletableFuture.runAsync(
            () -> {
              try {
                alice.send(publicMessages("burst #", 1, burst));
              } catch (UncheckedIOException e) {
                // The server died under the write: expected.
              }
            });
    first.awaitExit();
    await().atMost(Duration.ofSeconds(30)).until(() -> alice.ended() && bob.ended());
    sending.join();

    // alice's confirmations answer her messages in order: the i-th confirms "burst #i".
    Map<Long, String> confirmed = new TreeMap<>();
    int i = 0;
    for (String line : alice.received()) {
      if (line.startsWith("C SENT PM ")) {
        confirmed.put(sentSeq(line), "burst #" + ++i);
      }
    }
    Map<Long, String> deliveredToBob = new TreeMap<>();
    for (String line : bob.received()) {
      if (line.startsWith("D PM ")) {
        String[] words = line.split(" ", 6); // D PM seq time from text
        assertEquals("alice", words[4]);
        deliveredToBob.put(Long.parseLong(words[2]), words[5]);
      }
    }
    Map<Long, String> stored = storedMessages();
    System.out.printf(
        "burst of %d: killed after %d confirmations; %d confirmed, %d delivered, %d stored%n",
        burst, killAfter, confirmed.size(), deliveredToBob.size(), stored.size());

    assertTrue(confirmed.size() >= killAfter);
    for (Map.Entry<Long, String> c : confirmed.entrySet()) {
      assertEquals(c.getValue(), stored.get(c.getKey()), "confirmed seq " + c.getKey());
    }
    for (Map.Entry<Long, String> d : deliveredToBob.entrySet()) {
      assertEquals(d.getValue(), stored.get(d.getKey()), "delivered seq " + d.getKey());
    }
    // Nothing failed to store, so the stored seqs have no gaps: 1..n is "burst #1".."burst #n".
    long n = stored.size();
    for (long seq = 1; seq <= n; seq++) {
      assertEquals("burst #" + seq, stored.get(seq), "stored seq " + seq);
    }

    ServerProcess second = startServer();
    LineClient carol = signIn(second, "carol");
    List<String> history = carol.chatHistory(1000);
    assertEquals(Math.min(1000, n), history.size());
    assertTrue(history.get(history.size() - 1).endsWith(" alice burst #" + n));
    assertEquals(n + 1, carol.publicMessage("after the restart"), "seq carries on");
  }

  @Test
  void aStopBySigtermAnswersWhatIsOwedSaysGoodbyeAndKeepsEveryConfirmedMessage() throws Exception {
    ServerProcess first = startServer();
    LineClient bob = signIn(first, "bob");
    LineClient alice = signIn(first, "alice", bob);
    onConfirmation(alice, 100, first::terminate);

    alice.send(publicMessages("until the stop #", 1, 2000));
    first.awaitExit();
    await().atMost(Duration.ofSeconds(30)).until(() -> alice.ended() && bob.ended());

    assertEquals(0, first.exitStatus(), first.output());
    List<String> aliceLines = alice.received();
    assertEquals("C BYE server shutting down", aliceLines.get(aliceLines.size() - 1));
    assertTrue(bob.received().contains("C BYE server shutting down"), bob.received().toString());
    assertFalse(bob.received().stream().anyMatch(l -> l.startsWith("C LEAVE")), "no LEAVE noise");
    // Everything alice was told is stored is stored, and nothing after her last confirmation
    // was delivered to anyone.
    Map<Long, String> stored = storedMessages();
    long confirmed = 0;
    for (String line : aliceLines) {
      if (line.startsWith("C SENT PM ")) {
        confirmed++;
        assertEquals("until the stop #" + confirmed, stored.get(sentSeq(line)));
      }
    }
    assertTrue(confirmed >= 100);
    assertEquals(confirmed, stored.size(), "a clean stop leaves no stored message unconfirmed");

    ServerProcess second = startServer();
    LineClient carol = signIn(second, "carol");
    assertEquals(confirmed + 1, carol.publicMessage("after the restart"));
  }

  @Test
  void anAccountThatSignedInAndItsDirectMessagesSurviveKillNine() throws Exception {
    ServerProcess first = startServer("--accounts");
    LineClient alice = connect(first, "Alice");
    alice.signIn("Alice", "alice's password", "NEW");
    LineClient bob = connect(first, "bob");
    bob.signIn("bob", "bob's password", "NEW");
    assertEquals(1, alice.directMessage("bob", "see you after the crash"));

    first.killAndWait();
    ServerProcess second = startServer("--accounts");

    LineClient again = connect(second, "again");
    again.expectStartsWith("C HELLO ");
    again.send("C NICK alice", "C PASS wrong");
    again.expect("C PASSWORD EXISTING");
    assertTrue(again.next().startsWith("C RETRY 401 "));
    again.send("C NICK alice", "C PASS alice's password");
    again.expect("C PASSWORD EXISTING");
    again.expect("C READY Alice 1");
    again.history();
    List<String> history = again.chatHistory(10);
    assertEquals(1, history.size(), history.toString());
    assertTrue(history.get(0).startsWith("D DM 1 "), history.get(0));
    assertTrue(history.get(0).endsWith(" Alice bob see you after the crash"), history.get(0));
  }

  @Test
  void aSecondServerOnADataFolderInUseRefusesToStart() throws Exception {
    ServerProcess running = startServer();

    ServerProcess.Refusal refusal =
        ServerProcess.startExpectingRefusal(data(), dir.resolve("second.log"));
    assertEquals(1, refusal.exitStatus(), refusal.output());
    assertTrue(refusal.output().contains("in use"), refusal.output());
    assertEquals(1, refusal.output().strip().lines().count(), refusal.output());
    StoreException inThisProcess =
        assertThrows(StoreException.class, () -> SqliteStore.open(data()));
    assertTrue(inThisProcess.getMessage().contains("in use"), inThisProcess.getMessage());

    LineClient alice = signIn(running, "alice");
    assertEquals(1, alice.publicMessage("the first server is unharmed"));
    running.killAndWait();
    assertFalse(storedMessages().isEmpty());
    assertNotEquals(0, startServer().port(), "free again once the first is gone");
  }
}
