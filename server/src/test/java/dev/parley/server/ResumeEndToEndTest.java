package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ServerLine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Resume after a reconnect: {@code C SEQ} and {@code C CH SINCE} (contract section 10). */
class ResumeEndToEndTest {
  @TempDir Path dir;

  @RegisterExtension final ServerUnderTest server = ServerUnderTest.startedByEachTest();

  private void startInMemory() throws Exception {
    server.start(ServerUnderTest.defaults().toBuilder().maxRate(0).build());
  }

  private ServerConfig sqlite(Path dataDir) {
    return ServerUnderTest.defaults().withSqliteStore(dataDir).toBuilder().maxRate(0).build();
  }

  /** Sends {@code C SEQ} and parses the answer with the protocol's own parser. */
  private static ServerLine.Seq seq(LineClient c) throws Exception {
    c.send("C SEQ");
    return (ServerLine.Seq) ServerLine.parse(c.nextStartingWith("C SEQ "));
  }

  private static List<Long> seqs(List<String> lines) {
    List<Long> seqs = new ArrayList<>();
    for (String line : lines) {
      seqs.add(Long.parseLong(line.split(" ")[2]));
    }
    return seqs;
  }

  private static void sendPublic(LineClient from, int n) {
    for (int i = 1; i <= n; i++) {
      from.publicMessage("message " + i);
    }
  }

  @Test
  void seqAnswersTheEpochAndTheNewestStoredSeq() throws Exception {
    startInMemory();
    LineClient alice = server.signIn("alice");
    ServerLine.Seq empty = seq(alice);
    assertEquals(0, empty.lastSeq());
    assertTrue(ServerLine.Seq.isEpoch(empty.epoch()));
    sendPublic(alice, 3);
    assertEquals(new ServerLine.Seq(empty.epoch(), 3), seq(alice));
  }

  @Test
  void chSinceGivesTheMessagesAfterASeqOldestFirstAtMostN() throws Exception {
    startInMemory();
    LineClient alice = server.signIn("alice");
    sendPublic(alice, 5);
    alice.send("C CH SINCE 2");
    assertEquals(List.of(3L, 4L, 5L), seqs(alice.history()));
    alice.send("C CH SINCE 2 2");
    assertEquals(List.of(3L, 4L), seqs(alice.history()));
    alice.send("C CH SINCE 5", "C CH SINCE 99");
    alice.expect("C HISTORY 0", "C HISTORY 0");
    alice.send("C CH SINCE x");
    alice.expectStartsWith("C ERR 400 ");
  }

  @Test
  void withoutAccountsChSinceHoldsThisConnectionsDmsButNoneOfAnEarlierConnections()
      throws Exception {
    startInMemory();
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    alice.publicMessage("one");
    alice.directMessage("bob", "secret");
    alice.publicMessage("three");
    bob.send("C CH SINCE 0");
    assertEquals(List.of(1L, 2L, 3L), seqs(bob.nextHistory()));

    bob.send("C EX");
    bob.nextStartingWith("C BYE ");
    server.awaitUsersOnline(1);
    LineClient bob2 = server.connect("bob2");
    bob2.signIn("bob");
    bob2.send("C CH SINCE 0");
    assertEquals(List.of(1L, 3L), seqs(bob2.history()), "names are not owned");
  }

  @Test
  void resumeRequestsAreAnsweredInTheMiddleOfComposingAndKeepThePendingMessage() throws Exception {
    startInMemory();
    LineClient alice = server.signIn("alice");
    ServerLine.Seq before = seq(alice);
    alice.send("C PM", "C SEQ", "C CH SINCE 0", "D still sent");
    alice.expect("C PROMPT TEXT", before.format(), "C HISTORY 0", "C SENT PM 1 0");
  }

  @Test
  void seqIsAReservedName() throws Exception {
    startInMemory();
    LineClient c = server.connect("c");
    c.expectStartsWith("C HELLO ");
    c.send("C NICK seq");
    c.expectStartsWith("C RETRY 422 ");
  }

  @Test
  void chSinceOlderThanTheRecentMessagesInMemoryIsReadFromTheStore() throws Exception {
    startInMemory();
    LineClient alice = server.signIn("alice");
    int n = 1005; // the server keeps the last 1000 public messages in memory
    String[] lines = new String[2 * n];
    for (int i = 0; i < n; i++) {
      lines[2 * i] = "C PM";
      lines[2 * i + 1] = "D m" + (i + 1);
    }
    alice.send(lines);
    alice.send("C CH SINCE 2 3", "C CH SINCE 5 2", "C CH SINCE 1000");
    assertEquals(List.of(3L, 4L, 5L), seqs(alice.nextHistory()));
    assertEquals(List.of(6L, 7L), seqs(alice.history()));
    assertEquals(List.of(1001L, 1002L, 1003L, 1004L, 1005L), seqs(alice.history()));
  }

  @Test
  void theEpochSurvivesARestartAndANewDatabaseHasANewOne() throws Exception {
    server.start(sqlite(dir.resolve("a")));
    LineClient alice = server.signIn("alice");
    sendPublic(alice, 2);
    ServerLine.Seq first = seq(alice);
    server.restart();
    assertEquals(first, seq(server.signIn("alice")), "same database, same history");

    server.stop();
    server.start(sqlite(dir.resolve("b")));
    ServerLine.Seq other = seq(server.signIn("alice"));
    assertNotEquals(first.epoch(), other.epoch());
    assertEquals(0, other.lastSeq());
  }

  @Test
  void everyStartWithAMemoryStoreIsANewEpoch() throws Exception {
    startInMemory();
    ServerLine.Seq first = seq(server.signIn("alice"));
    server.restart();
    assertNotEquals(first.epoch(), seq(server.signIn("alice")).epoch());
  }

  @Test
  void withAccountsChSinceHoldsTheAccountsDmsFromEarlierConnections() throws Exception {
    server.start(sqlite(dir).toBuilder().accounts(true).build());
    LineClient alice = server.signIn("alice", "pw-alice", "NEW");
    LineClient bob = server.signIn("bob", "pw-bob", "NEW");
    alice.expect("C JOIN bob");
    alice.publicMessage("one");
    alice.directMessage("bob", "secret");
    bob.send("C EX");
    bob.nextStartingWith("C BYE ");
    server.awaitUsersOnline(1);

    LineClient again = server.signIn("bob", "pw-bob", "EXISTING");
    again.send("C CH SINCE 1");
    List<String> missed = again.history();
    assertEquals(List.of(2L), seqs(missed));
    assertTrue(missed.get(0).endsWith(" alice bob secret"), missed.get(0));
  }
}
