package dev.parley.server.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.ChatServer;
import dev.parley.server.LineClient;
import dev.parley.server.ServerConfig;
import dev.parley.server.ServerUnderTest;
import dev.parley.server.store.SqliteStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many password sign-ins at once, over loopback, on the SQLite store (section 3): guesses sent in
 * parallel meet the lock as guesses sent in turn do; checks waiting are bounded, and beyond the
 * bound refused at once; a check whose connection hung up is never made and makes no account. Every
 * connection comes from 127.0.0.1; taking turns across addresses is shown in {@link
 * PasswordChecksTest}.
 */
class PasswordFloodEndToEndTest {
  private static final String PASSWORD = "correct horse battery staple";

  @TempDir Path dir;

  @RegisterExtension
  final ServerUnderTest server = ServerUnderTest.startedWith(() -> config().build());

  private ServerConfig.Builder config() {
    return ServerUnderTest.defaults().withSqliteStore(dir).toBuilder().accounts(true).maxRate(0);
  }

  private LineClient connect(String label) throws Exception {
    LineClient c = server.connect(label);
    c.expectStartsWith("C HELLO parley/1");
    return c;
  }

  /** The first answer that ends a sign-in attempt: READY or RETRY. */
  private static String outcome(LineClient c) {
    return c.nextMatching(line -> line.startsWith("C READY ") || line.startsWith("C RETRY "));
  }

  private List<String> storedAccountNames() throws Exception {
    String file = dir.resolve(SqliteStore.DATABASE_FILE).toAbsolutePath().toString();
    List<String> names = new ArrayList<>();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT name FROM accounts ORDER BY name")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  @Test
  void thirtyGuessesSentAtOnceCheckAtMostFiveAndTheRightPasswordAfterThemGets429()
      throws Exception {
    LineClient owner = server.signIn("victim", PASSWORD, "NEW");
    owner.send("C EX");
    owner.nextStartingWith("C BYE");
    server.awaitUsersOnline(0);

    List<LineClient> guessers = new ArrayList<>();
    for (int i = 0; i < 29; i++) {
      guessers.add(connect("guesser" + i));
    }
    LineClient right = connect("right");
    for (int i = 0; i < 29; i++) {
      guessers.get(i).send("C NICK victim", "C PASS wrong " + i);
    }
    right.send("C NICK victim", "C PASS " + PASSWORD);

    int wrong = 0;
    for (LineClient g : guessers) {
      String answer = outcome(g);
      if (answer.startsWith("C RETRY 401 ")) {
        wrong++;
      } else {
        assertTrue(answer.startsWith("C RETRY 429 "), answer);
      }
    }
    String answer = outcome(right);
    assertTrue(answer.startsWith("C RETRY 429 "), "the right password after them: " + answer);
    assertTrue(wrong <= 5, wrong + " wrong passwords were checked");
    assertEquals(0, server.server().usersOnline());
  }

  @Test
  void checksBeyondTheBoundPerAddressAreRefusedAtOnceWith429() throws Exception {
    server.stop();
    server.start(config().maxPasswordChecksPerAddress(4).build());
    List<LineClient> clients = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      clients.add(connect("user" + i));
    }
    for (int i = 0; i < 12; i++) {
      clients.get(i).send("C NICK user" + i, "C PASS password " + i);
    }

    int ready = 0;
    int refused = 0;
    for (LineClient c : clients) {
      String answer = outcome(c);
      if (answer.startsWith("C READY ")) {
        ready++;
      } else {
        assertTrue(answer.startsWith("C RETRY 429 ") && answer.contains("address"), answer);
        refused++;
      }
    }
    assertTrue(refused > 0, "none refused");
    assertTrue(ready >= 4, ready + " signed in: the first four at least fit");
    assertEquals(ready, server.server().usersOnline());
  }

  @Test
  void aFloodThatHangsUpCostsNoAccountsAndARealUserSignsUpPromptly() throws Exception {
    // The one hashing thread is held until every flood connection has hung up (a reset, there on
    // loopback when close returns), so that no check can finish while its connection is still
    // open, however slowly this test runs. The server notices a hang-up when it probes the
    // connection before a check starts and before an account is stored: input is paused meanwhile.
    ExecutorService hashing = Executors.newFixedThreadPool(1, r -> new Thread(r, "test-hash"));
    CountDownLatch held = new CountDownLatch(1);
    hashing.execute(
        () -> {
          try {
            held.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server closed the hasher
          }
        });
    server.stop();
    server.start(
        config().build(),
        new ChatServer.Machine(System::nanoTime, () -> new PasswordHasher(hashing, 1, 1000)));

    List<LineClient> flood = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      LineClient c = connect("flood" + i);
      c.send("C NICK flood" + i, "C PASS " + "x".repeat(4000));
      flood.add(c);
    }
    for (LineClient c : flood) {
      c.expect("C PASSWORD NEW"); // the server has read the C NICK, and the C PASS sent with it
      c.closeAbruptly();
    }
    held.countDown();

    // Had the flood's checks run, this sign-up would wait behind forty hashes (and its account
    // would be written after theirs).
    LineClient real = server.signIn("real", PASSWORD, "NEW");
    real.send("C LIST");
    real.expect("C USERS 1 real");

    List<String> stored = storedAccountNames();
    assertTrue(stored.contains("real"), stored.toString());
    assertEquals(List.of("real"), stored, "accounts made for connections that hung up");
  }
}
