package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.parley.server.store.SqliteStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rooms with the durable store, over real sockets: a room's history, epoch, seq and topic survive a
 * restart, and a database written before rooms existed is upgraded with {@code #main}'s epoch and
 * seq kept, so an old client resumes across the upgrade.
 */
class RoomsSqliteEndToEndTest {
  private static final Pattern JOINED =
      Pattern.compile("C JOINED (#\\S+) ([A-Za-z0-9_-]{1,64}) (\\d+) (\\d+)");

  @TempDir Path dataDir;

  @RegisterExtension final ServerUnderTest server = ServerUnderTest.startedByEachTest();

  private void start(boolean accounts) throws Exception {
    server.start(
        ServerUnderTest.defaults().withSqliteStore(dataDir).toBuilder()
            .accounts(accounts)
            .maxRate(0)
            .build());
  }

  private static Matcher joined(LineClient c, String room) {
    c.send("C JOIN " + room);
    String line = c.next();
    Matcher m = JOINED.matcher(line);
    assertTrue(m.matches(), line);
    return m;
  }

  @Test
  void aRoomsHistoryEpochSeqAndTopicSurviveARestart() throws Exception {
    start(false);
    LineClient alice = server.signIn("alice");
    Matcher first = joined(alice, "#Lab");
    assertEquals("0", first.group(3));
    alice.send("C PM #lab", "D one", "C PM #lab", "D two", "C TOPIC #lab sockets  today");
    alice.expect(
        "C PROMPT TEXT",
        "C SENT PM #Lab 1 0",
        "C PROMPT TEXT",
        "C SENT PM #Lab 2 0",
        "C TOPIC #Lab alice sockets  today");
    alice.send("C CH #lab");
    alice.expect("C HISTORY #Lab 2");
    List<String> history = List.of(alice.next(), alice.next());

    server.restart();
    LineClient bob = server.signIn("bob");
    Matcher again = joined(bob, "#LAB");
    assertEquals("#Lab", again.group(1)); // the first spelling lasts
    assertEquals(first.group(2), again.group(2)); // the same epoch
    assertEquals("2", again.group(3));
    assertEquals("1", again.group(4));
    bob.send("C TOPIC #lab", "C CH #lab SINCE 0");
    bob.expect("C TOPIC #Lab alice sockets  today", "C HISTORY #Lab 2");
    bob.expect(history.get(0), history.get(1));
    bob.send("C PM #lab", "D three");
    bob.expect("C PROMPT TEXT", "C SENT PM #Lab 3 0");
    // #main counted on its own all along.
    bob.send("C PM", "D main");
    bob.expect("C PROMPT TEXT", "C SENT PM 1 0");
  }

  @Test
  void aDatabaseFromBeforeRoomsKeepsMainsEpochAndSeq() throws Exception {
    writeDatabaseOfTheSchemaBeforeRooms();
    try (LogCapture log = LogCapture.attach(Level.WARN, "dev.parley.server")) {
      start(true);
      LineClient old = server.signIn("alice", "secret", "EXISTING");
      old.send("C SEQ");
      old.expect("C SEQ remembered-epoch 2");
      old.send("C CH SINCE 1");
      old.expect("C HISTORY 1");
      assertTrue(old.next().endsWith(" bob second"));
      // And rooms work on the upgraded database.
      assertEquals("0", joined(old, "#new").group(3));
      old.send("C PM #new", "D first", "C PM", "D third");
      old.expect("C PROMPT TEXT", "C SENT PM #new 1 0", "C PROMPT TEXT", "C SENT PM 3 0");
      // The account named after a word that is a keyword now is reported, once.
      List<String> warned =
          log.matching(e -> e.getFormattedMessage().contains("now a protocol keyword"));
      assertEquals(1, warned.size(), warned.toString());
      assertTrue(warned.get(0).contains("Topic"), warned.get(0));
    }
  }

  /**
   * The tables as the server before rooms left them (schema version 3), with #main's epoch, two
   * messages and two accounts, one of them named after a word that rooms made a keyword.
   */
  private void writeDatabaseOfTheSchemaBeforeRooms() throws Exception {
    // An account with the password "secret", as PasswordHasher stores one: made by a server.
    server.start(
        ServerUnderTest.defaults().withSqliteStore(dataDir).toBuilder().accounts(true).build());
    server.signIn("alice", "secret", "NEW");
    server.stop();
    String url = "jdbc:sqlite:" + dataDir.resolve(SqliteStore.DATABASE_FILE).toAbsolutePath();
    try (Connection db = DriverManager.getConnection(url);
        Statement st = db.createStatement()) {
      st.execute("DROP TABLE room_messages");
      st.execute("DROP TABLE rooms");
      st.execute("UPDATE schema_version SET version = 3");
      st.execute("UPDATE meta SET value = 'remembered-epoch' WHERE key = 'epoch'");
      st.execute(
          "INSERT INTO messages (seq, time_ms, kind, sender, sender_key, text, accounts_on)"
              + " VALUES (1, 0, 'PM', 'bob', 'bob', 'first', 0),"
              + " (2, 1, 'PM', 'bob', 'bob', 'second', 0)");
      st.execute(
          "INSERT INTO accounts (name_key, name, salt, hash, iterations, created_ms)"
              + " SELECT 'topic', 'Topic', salt, hash, iterations, created_ms FROM accounts");
    }
  }
}
