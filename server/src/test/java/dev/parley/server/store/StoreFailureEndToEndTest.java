package dev.parley.server.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.ChatServer;
import dev.parley.server.LineClient;
import dev.parley.server.LogCapture;
import dev.parley.server.ServerConfig;
import dev.parley.server.ServerUnderTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that fails while the server runs, made to fail through the real database: a second
 * connection adds a trigger that aborts every insert of the text {@code boom}.
 */
class StoreFailureEndToEndTest {
  private static final String STORE_FAILED = "C ERR 500 ";

  @TempDir Path dir;

  @RegisterExtension
  final ServerUnderTest server =
      ServerUnderTest.startedWith(
          () -> ServerUnderTest.defaults().withSqliteStore(dir).toBuilder().maxRate(0).build());

  private Connection database() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:sqlite:" + dir.resolve(SqliteStore.DATABASE_FILE).toAbsolutePath());
  }

  /** From now on the database refuses every message whose text is {@code boom}. */
  private void refuseBoom() throws SQLException {
    try (Connection db = database();
        Statement st = db.createStatement()) {
      st.execute(
          "CREATE TRIGGER refuse_boom BEFORE INSERT ON messages WHEN NEW.text = 'boom'"
              + " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    }
  }

  private List<String> storedTexts() throws SQLException {
    List<String> texts = new ArrayList<>();
    try (Connection db = database();
        Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT seq, text FROM messages ORDER BY seq")) {
      while (rs.next()) {
        texts.add(rs.getLong(1) + " " + rs.getString(2));
      }
    }
    return texts;
  }

  private static boolean mentionsBoom(String line) {
    return line.endsWith(" boom");
  }

  @Test
  void aPublicMessageTheStoreRefusesGets500AndReachesNobodyAndTheNextOneIsSent() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signIn("bob");
    alice.nextStartingWith("C JOIN bob");
    assertEquals(1, alice.publicMessage("before"));
    assertTrue(bob.nextStartingWith("D PM ").startsWith("D PM 1 "));

    refuseBoom();
    alice.send("C PM", "D boom");
    alice.expect("C PROMPT TEXT");
    String refused = alice.next();
    assertTrue(refused.startsWith(STORE_FAILED), refused);

    // The server is still there for everyone, and the seq skips only the refused message.
    long next = alice.publicMessage("after");
    assertEquals(3, next);
    String delivered = bob.nextStartingWith("D PM ");
    assertTrue(delivered.startsWith("D PM 3 ") && delivered.endsWith(" alice after"), delivered);
    assertEquals(2, server.server().usersOnline());

    assertFalse(bob.hasReceived(StoreFailureEndToEndTest::mentionsBoom), bob.received().toString());
    assertFalse(bob.chatHistory(1000).stream().anyMatch(StoreFailureEndToEndTest::mentionsBoom));
    LineClient carol =
        server.signIn("carol"); // her sign-in replay comes from the same recent history
    assertFalse(carol.hasReceived(StoreFailureEndToEndTest::mentionsBoom));
    assertEquals(List.of("1 before", "3 after"), storedTexts());
  }

  @Test
  void aDirectMessageTheStoreRefusesGets500AndIsNotDelivered() throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient bob = server.signIn("bob");
    refuseBoom();

    alice.send("C DM", "C bob", "D boom");
    alice.nextStartingWith("C PROMPT TEXT");
    String refused = alice.next();
    assertTrue(refused.startsWith(STORE_FAILED), refused);

    assertEquals(2, alice.directMessage("bob", "all fine"));
    String delivered = bob.nextStartingWith("D DM ");
    assertTrue(delivered.startsWith("D DM 2 ") && delivered.endsWith(" alice bob all fine"));
    assertFalse(bob.hasReceived(StoreFailureEndToEndTest::mentionsBoom));
    assertFalse(alice.chatHistory(1000).stream().anyMatch(StoreFailureEndToEndTest::mentionsBoom));
    assertEquals(List.of("2 all fine"), storedTexts());
  }

  @Test
  void pipelinedMessagesAroundARefusedOneAreAnsweredInOrder() throws Exception {
    LineClient alice = server.signIn("alice");
    refuseBoom();
    long first = alice.publicMessage("warm-up");

    // One write: the three may be sequenced in one loop iteration and share one commit.
    alice.send("C PM", "D one", "C PM", "D boom", "C PM", "D three", "C PING done");
    List<String> answers = new ArrayList<>();
    String line;
    while (!(line = alice.next()).equals("C PONG done")) {
      if (!line.startsWith("C PROMPT")) {
        answers.add(line);
      }
    }

    assertEquals(3, answers.size(), answers.toString());
    assertTrue(answers.get(1).startsWith(STORE_FAILED), answers.toString());
    // Each message is either confirmed with its seq and stored, or refused and not stored:
    // a confirmed message is never missing, and a refused one never appears.
    List<String> stored = storedTexts();
    String[] texts = {"one", "boom", "three"};
    for (int i = 0; i < 3; i++) {
      String answer = answers.get(i);
      long seq = first + 1 + i;
      if (answer.startsWith("C SENT PM ")) {
        assertEquals("C SENT PM " + seq + " 0", answer);
        assertTrue(stored.contains(seq + " " + texts[i]), stored.toString());
      } else {
        assertTrue(answer.startsWith(STORE_FAILED), answer);
        assertFalse(stored.contains(seq + " " + texts[i]), stored.toString());
      }
    }
    assertEquals(first + 4, alice.publicMessage("afterwards"));
  }

  @Test
  void aFullDiskIsLoggedAsAFullDiskWithWhatTheSenderWasAnsweredNotAsAFollowOnError()
      throws Exception {
    server.stop();
    SqliteStore store = SqliteStore.open(dir.resolve("small"));
    // SQLite answers SQLITE_FULL once the database may not grow, exactly as on a full disk.
    store.limitPages(store.pageCount());
    server.start(store, Clock.systemUTC());
    try (LogCapture log = LogCapture.attach()) {
      LineClient alice = server.signIn("alice");
      String text = "x".repeat(4000); // a page each, so the first or second message needs a new one
      String answer = "";
      for (int i = 0; i < 3 && !answer.startsWith(STORE_FAILED); i++) {
        alice.send("C PM", "D " + text);
        alice.expect("C PROMPT TEXT");
        answer = alice.next();
      }
      assertTrue(answer.startsWith(STORE_FAILED), answer);

      await().atMost(Duration.ofSeconds(10)).until(() -> !log.errors().isEmpty());
      List<String> errors = log.errors();
      assertEquals(1, errors.size(), errors.toString());
      String logged = errors.get(0);
      assertTrue(logged.contains("cannot store 1 messages: the disk is full"), logged);
      assertTrue(logged.contains("answered C ERR 500"), logged);
      assertFalse(logged.contains("no transaction is active"), logged);
    }
  }

  @Test
  void aHistoryQueryTheStoreFailsIsAnswered500AndLoggedOnceWithWhatWasAnswered() throws Exception {
    server.stop();
    // With accounts, C CH is a store query (without them it is answered from memory).
    server.start(
        ServerUnderTest.defaults().withSqliteStore(dir).toBuilder()
            .accounts(true)
            .maxRate(0)
            .build());
    LineClient alice = server.signIn("alice", "alice pw", "NEW");
    try (Connection db = database();
        Statement st = db.createStatement()) {
      st.execute("DROP TABLE messages"); // every read of history fails from now on
    }
    try (LogCapture log = LogCapture.attach()) {
      alice.send("C CH 10");
      alice.expect("C ERR 500 history is not available right now");

      List<String> events = log.warningsAndErrors(); // logged on the loop before the answer left
      assertEquals(1, events.size(), events.toString());
      String logged = events.get(0);
      assertTrue(logged.startsWith("WARN "), logged);
      assertTrue(logged.contains("cannot read history"), logged);
      assertTrue(
          logged.contains("alice was answered C ERR 500 history is not available right now"),
          logged);
    }
    alice.send("C PING still here");
    alice.expect("C PONG still here");
  }

  @Test
  void aServerThatCannotBindFailsAtOnceAndGivesItsDataFolderBack() throws Exception {
    Path other = dir.resolve("other");
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      ServerConfig onTakenPort =
          ServerConfig.defaults().toBuilder()
              .host("127.0.0.1")
              .port(taken.getLocalPort())
              .store(ServerConfig.StoreKind.SQLITE)
              .dataDir(other)
              .build();
      // Not after the 10 s an event loop is given to stop: this one never started.
      assertTimeoutPreemptively(
          Duration.ofSeconds(5),
          () -> assertThrows(IOException.class, () -> ChatServer.start(onTakenPort)));
    }
    try (SqliteStore store = SqliteStore.open(other)) {
      assertEquals(0, store.lastSeq(), "the folder is not left locked");
    }
  }

  @Test
  void aServerOnADataFolderInUseDoesNotStart() throws Exception {
    StoreException e =
        assertThrows(
            StoreException.class,
            () ->
                ChatServer.start(
                    ServerConfig.defaults().withSqliteStore(dir).withAddress("127.0.0.1", 0)));
    assertTrue(e.getMessage().contains("in use"), e.getMessage());
    LineClient alice = server.signIn("alice");
    assertEquals(1, alice.publicMessage("the running server is unharmed"));
  }
}
