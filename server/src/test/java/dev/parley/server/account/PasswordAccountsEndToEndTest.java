package dev.parley.server.account;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.Delivered;
import dev.parley.server.LineClient;
import dev.parley.server.ServerConfig;
import dev.parley.server.ServerUnderTest;
import dev.parley.server.store.SqliteStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Password accounts on a server with the SQLite store, over loopback: registration, sign-in with
 * the right and wrong password, the name's case, restarts, the throttle and account history. Every
 * password check is a real PBKDF2 at the full iteration count.
 */
class PasswordAccountsEndToEndTest {
  private static final String PASSWORD = "correct horse battery staple";

  @TempDir Path dir;

  @RegisterExtension final ServerUnderTest server = ServerUnderTest.startedWith(this::config);

  private ServerConfig config() {
    return ServerUnderTest.defaults().withSqliteStore(dir).toBuilder()
        .accounts(true)
        .maxRate(0)
        // A connection waits at the password step while another makes five slow guesses.
        .signInTimeout(Duration.ofSeconds(60))
        .build();
  }

  /** A connection that has read the server's greeting. */
  private LineClient connect(String label) throws Exception {
    LineClient c = server.connect(label);
    c.expectStartsWith("C HELLO parley/1");
    return c;
  }

  /** Registers {@code name} and leaves again, so that the account exists and nobody is online. */
  private void register(String name, String password) throws Exception {
    LineClient c = server.signIn(name, password, "NEW");
    leave(c);
  }

  /** Sends C EX and waits until the server has closed the connection, and so freed the name. */
  private static void leave(LineClient c) throws Exception {
    c.send("C EX");
    c.nextStartingWith("C BYE");
    await().atMost(Duration.ofSeconds(10)).until(c::ended);
  }

  @Test
  void aNewNameIsAskedForANewPasswordAndSignsInWithIt() throws Exception {
    LineClient alice = connect("alice");
    alice.send("C NICK alice");
    alice.expect("C PASSWORD NEW");
    alice.send("C PASS " + PASSWORD);
    alice.expect("C READY alice 1");
    alice.expect("C HISTORY 0");
  }

  @Test
  void aNewAccountWithAnEmptyPasswordIsRefusedAndNotCreated() throws Exception {
    LineClient alice = connect("alice");
    alice.send("C NICK alice");
    alice.expect("C PASSWORD NEW");
    alice.send("C PASS ");
    alice.expect("C RETRY 422 a new account needs a password that is not empty");
    alice.send("C NICK alice");
    alice.expect("C PASSWORD NEW");
    alice.send("C PASS " + PASSWORD);
    alice.expect("C READY alice 1");
  }

  @Test
  void aReturningNameIsAskedForItsPasswordAndAWrongOneGets401() throws Exception {
    register("alice", PASSWORD);

    LineClient alice = connect("alice");
    alice.send("C NICK alice");
    alice.expect("C PASSWORD EXISTING");
    alice.send("C PASS correct horse battery");
    assertTrue(alice.next().startsWith("C RETRY 401 "));
    alice.send("C NICK alice");
    alice.expect("C PASSWORD EXISTING");
    alice.send("C PASS " + PASSWORD);
    alice.expect("C READY alice 1");
  }

  @Test
  void theNameInAnotherCaseIsTheSameAccountAndSignsInWithItsFirstSpelling() throws Exception {
    register("Alice", PASSWORD);

    LineClient shouting = connect("shouting");
    shouting.send("C NICK ALICE");
    shouting.expect("C PASSWORD EXISTING");
    shouting.send("C PASS another password");
    assertTrue(shouting.next().startsWith("C RETRY 401 "), "not a second account");
    shouting.send("C NICK ALICE");
    shouting.expect("C PASSWORD EXISTING");
    shouting.send("C PASS " + PASSWORD);
    shouting.expect("C READY Alice 1");

    LineClient bob = server.signIn("bob", "bobs password", "NEW");
    bob.send("C LIST");
    bob.expect("C USERS 2 Alice bob");
  }

  @Test
  void anAccountThatIsOnlineCannotSignInASecondTime() throws Exception {
    server.signIn("alice", PASSWORD, "NEW");

    LineClient second = connect("second");
    second.send("C NICK ALICE");
    assertTrue(second.next().startsWith("C RETRY 409 "));
  }

  @Test
  void anAccountSurvivesARestartOfTheServer() throws Exception {
    register("alice", PASSWORD);

    server.restart();

    LineClient alice = connect("alice");
    alice.send("C NICK alice");
    alice.expect("C PASSWORD EXISTING");
    alice.send("C PASS wrong");
    assertTrue(alice.next().startsWith("C RETRY 401 "));
    alice.send("C NICK alice", "C PASS " + PASSWORD);
    alice.expect("C PASSWORD EXISTING");
    alice.expect("C READY alice 1");
  }

  @Test
  void twoRegistrationsOfOneNewNameAtOnceMakeOneAccount() throws Exception {
    LineClient first = connect("first");
    LineClient second = connect("second");
    first.send("C NICK carol");
    first.expect("C PASSWORD NEW");
    second.send("C NICK carol");
    second.expect("C PASSWORD NEW");

    first.send("C PASS first password");
    second.send("C PASS second password");
    String a = first.next();
    String b = second.next();

    LineClient winner = a.startsWith("C READY") ? first : second;
    LineClient loser = winner == first ? second : first;
    String winnersPassword = winner == first ? "first password" : "second password";
    assertEquals("C READY carol 1", winner == first ? a : b);
    assertTrue((winner == first ? b : a).startsWith("C RETRY 409 "), a + " / " + b);

    leave(winner);
    loser.send("C NICK carol", "C PASS " + winnersPassword);
    loser.expect("C PASSWORD EXISTING");
    loser.expect("C READY carol 1");
  }

  @Test
  void fiveWrongPasswordsLockTheNameAt429AtEitherStep() throws Exception {
    register("alice", PASSWORD);
    // This one reaches the password step before the lock and sends its password after it.
    LineClient early = connect("early");
    early.send("C NICK alice");
    early.expect("C PASSWORD EXISTING");

    LineClient guesser = connect("guesser");
    for (int i = 1; i <= 5; i++) {
      guesser.send("C NICK alice", "C PASS guess " + i);
      guesser.expect("C PASSWORD EXISTING");
      String answer = guesser.next();
      assertTrue(answer.startsWith("C RETRY 401 "), "guess " + i + ": " + answer);
    }

    guesser.send("C NICK alice");
    assertTrue(guesser.next().startsWith("C RETRY 429 "), "locked at the C NICK step");
    early.send("C PASS " + PASSWORD);
    assertTrue(early.next().startsWith("C RETRY 429 "), "locked at the C PASS step, right or not");
    // The five came from one address, which is locked too: for any name, old or new.
    guesser.send("C NICK bob");
    assertTrue(guesser.next().startsWith("C RETRY 429 "));
    // Refused attempts do not end the connection.
    guesser.send("C PING still-here");
    guesser.expect("C PONG still-here");
  }

  private void onDatabase(String sql) throws Exception {
    String file = dir.resolve(SqliteStore.DATABASE_FILE).toAbsolutePath().toString();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = db.createStatement()) {
      st.execute(sql);
    }
  }

  @Test
  void anAccountTheStoreCannotWriteIsARetryAndTheNameStaysFree() throws Exception {
    onDatabase(
        "CREATE TRIGGER refuse_accounts BEFORE INSERT ON accounts"
            + " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");

    LineClient alice = connect("alice");
    alice.send("C NICK alice", "C PASS " + PASSWORD);
    alice.expect("C PASSWORD NEW");
    // Section 3: C PASS is answered with C READY or C RETRY, and after a RETRY the client starts
    // again at C NICK. An ERR here would leave a client waiting for one of the two.
    String refused = alice.next();
    assertTrue(refused.startsWith("C RETRY 500 "), refused);

    onDatabase("DROP TRIGGER refuse_accounts");
    alice.send("C NICK alice", "C PASS " + PASSWORD);
    alice.expect("C PASSWORD NEW");
    alice.expect("C READY alice 1");
    leave(alice);

    server.restart();
    server.signIn("alice", PASSWORD, "EXISTING");
  }

  @Test
  void anAccountsHistoryHasItsDirectMessagesFromEarlierConnectionsAndNobodyElses()
      throws Exception {
    LineClient alice = server.signIn("alice", "alice pw", "NEW");
    LineClient bob = server.signIn("Bob", "bob pw", "NEW");
    LineClient carol = server.signIn("carol", "carol pw", "NEW");
    alice.directMessage("bob", "alice to bob");
    bob.directMessage("alice", "bob to alice");
    carol.directMessage("BOB", "carol to bob");
    alice.publicMessage("hello all");
    leave(alice);
    leave(bob);
    leave(carol);

    List<String> alicesHistory =
        List.of(
            "1 DM alice Bob alice to bob", "2 DM Bob alice bob to alice", "4 PM alice hello all");
    LineClient aliceAgain = server.signIn("ALICE", "alice pw", "EXISTING");
    assertEquals(alicesHistory, Delivered.withoutTimes(aliceAgain.chatHistory(1000)));
    LineClient carolAgain = server.signIn("carol", "carol pw", "EXISTING");
    assertEquals(
        List.of("3 DM carol Bob carol to bob", "4 PM alice hello all"),
        Delivered.withoutTimes(carolAgain.chatHistory(1000)));

    server.restart();

    LineClient afterRestart = server.signIn("alice", "alice pw", "EXISTING");
    assertEquals(alicesHistory, Delivered.withoutTimes(afterRestart.chatHistory(1000)));
    assertEquals(
        List.of("4 PM alice hello all"), Delivered.withoutTimes(afterRestart.chatHistory(1)));
    LineClient bobAfterRestart = server.signIn("bob", "bob pw", "EXISTING");
    assertEquals(4, bobAfterRestart.chatHistory(1000).size(), "bob is at both ends");
  }

  @Test
  void aChatHistoryRequestedRightAfterMessagesIncludesThemInOrder() throws Exception {
    LineClient alice = server.signIn("alice", "alice pw", "NEW");
    LineClient bob = server.signIn("bob", "bob pw", "NEW");
    alice.expect("C JOIN bob");

    // One write: the C CH waits its turn behind the two messages still on their way to the disk.
    alice.send("C DM", "C bob", "D first", "C PM", "D second", "C CH 2", "C PING end");
    List<String> answers = new ArrayList<>();
    String line;
    while (!(line = alice.next()).equals("C PONG end")) {
      if (!line.startsWith("C PROMPT") && !line.startsWith("C USERS")) {
        answers.add(line);
      }
    }

    assertEquals("C SENT DM 1 bob", answers.get(0));
    assertEquals("C SENT PM 2 1", answers.get(1));
    assertEquals("C HISTORY 2", answers.get(2));
    assertEquals(
        List.of("1 DM alice bob first", "2 PM alice second"),
        Delivered.withoutTimes(answers.subList(3, answers.size())));
    bob.nextStartingWith("D PM 2 ");
  }
}
