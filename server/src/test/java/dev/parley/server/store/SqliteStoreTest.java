package dev.parley.server.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ServerLine;
import dev.parley.server.account.Account;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store against a real database file in a temporary folder. */
class SqliteStoreTest {
  private static final long T0 = 1_790_000_000_000L;

  @TempDir Path dir;

  private final List<SqliteStore> opened = new ArrayList<>();

  @AfterEach
  void closeStores() throws StoreException {
    for (SqliteStore s : opened) {
      s.close();
    }
  }

  private SqliteStore open() throws StoreException {
    SqliteStore store = SqliteStore.open(dir);
    opened.add(store);
    return store;
  }

  private void close(SqliteStore store) throws StoreException {
    opened.remove(store);
    store.close();
  }

  private static ChatMessage pm(long seq, String from, String text) {
    return ChatMessage.publicMessage(seq, T0 + seq, from, text);
  }

  private static ChatMessage dm(long seq, String from, String to, String text) {
    return ChatMessage.directMessage(seq, T0 + seq, from, to, text);
  }

  private static List<Long> seqs(List<ChatMessage> messages) {
    List<Long> seqs = new ArrayList<>();
    for (ChatMessage m : messages) {
      seqs.add(m.seq());
    }
    return seqs;
  }

  /** A plain JDBC connection to the store's file, as a second process would have. */
  private Connection jdbc() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:sqlite:" + dir.resolve(SqliteStore.DATABASE_FILE).toAbsolutePath());
  }

  private static void assertOneLine(StoreException e) {
    assertFalse(e.getMessage().isBlank(), "empty message");
    assertFalse(e.getMessage().contains("\n"), () -> "more than one line: " + e.getMessage());
  }

  // ---- messages ----

  @Test
  void anEmptyStoreHasLastSeqZeroAndNoMessages() throws Exception {
    SqliteStore store = open();
    assertEquals(0, store.lastSeq());
    assertEquals(List.of(), store.recentPublic(20));
    assertEquals(List.of(), store.visibleTo("alice", 20));
  }

  @Test
  void appendedMessagesComeBackExactlyWithTheirSeqTimeAndText() throws Exception {
    SqliteStore store = open();
    ChatMessage first = pm(1, "alice", "héllo wörld ✓ 😀 with  two spaces ");
    ChatMessage second = dm(2, "Alice", "Bob", "");
    ChatMessage third = pm(3, "carol", "a NUL \u0000, a lone CR \r and a tab \t inside");
    store.setAccountsOn(true);
    store.append(List.of(first, second, third));

    assertEquals(3, store.lastSeq());
    assertEquals(List.of(first, third), store.recentPublic(10));
    assertEquals(List.of(first, second, third), store.visibleTo("bob", 10));
  }

  @Test
  void recentPublicReturnsTheLastNPublicMessagesOldestFirst() throws Exception {
    SqliteStore store = open();
    store.append(List.of(pm(1, "a", "1"), dm(2, "a", "b", "2"), pm(3, "b", "3")));
    store.append(List.of(pm(4, "a", "4"), pm(5, "c", "5")));

    assertEquals(List.of(3L, 4L, 5L), seqs(store.recentPublic(3)));
    assertEquals(List.of(1L, 3L, 4L, 5L), seqs(store.recentPublic(1000)));
    assertEquals(List.of(), store.recentPublic(0));
  }

  @Test
  void visibleToIsPublicMessagesAndOwnDirectMessagesInAnyCaseButNeverOthersDirectMessages()
      throws Exception {
    SqliteStore store = open();
    store.setAccountsOn(true);
    store.append(
        List.of(
            pm(1, "Alice", "hello all"),
            dm(2, "Alice", "bob", "alice to bob"),
            dm(3, "BOB", "alice", "bob to alice"),
            dm(4, "carol", "Dave", "carol to dave"),
            pm(5, "bob", "bye all"),
            dm(6, "dave", "Carol", "dave to carol")));

    assertEquals(List.of(1L, 2L, 3L, 5L), seqs(store.visibleTo("alice", 100)));
    assertEquals(List.of(1L, 2L, 3L, 5L), seqs(store.visibleTo("ALICE", 100)));
    assertEquals(List.of(1L, 2L, 3L, 5L), seqs(store.visibleTo("Bob", 100)));
    assertEquals(List.of(1L, 4L, 5L, 6L), seqs(store.visibleTo("carol", 100)));
    assertEquals(List.of(1L, 5L), seqs(store.visibleTo("eve", 100)));
    // The last n, oldest first.
    assertEquals(List.of(3L, 5L), seqs(store.visibleTo("alice", 2)));
  }

  @Test
  void sinceQueriesGiveTheFirstNMessagesAfterASeqOldestFirstWithTheSameVisibility()
      throws Exception {
    SqliteStore store = open();
    store.setAccountsOn(true);
    store.append(
        List.of(
            pm(1, "Alice", "hello all"),
            dm(2, "Alice", "bob", "alice to bob"),
            dm(3, "carol", "Dave", "carol to dave"),
            pm(4, "bob", "bye all"),
            dm(5, "BOB", "alice", "bob to alice"),
            pm(6, "carol", "later")));

    assertEquals(List.of(1L, 4L, 6L), seqs(store.publicSince(0, 100)));
    assertEquals(List.of(4L, 6L), seqs(store.publicSince(1, 100)));
    assertEquals(List.of(4L), seqs(store.publicSince(1, 1)));
    assertEquals(List.of(), store.publicSince(6, 100));
    assertEquals(List.of(2L, 4L, 5L, 6L), seqs(store.visibleSince("ALICE", 1, 100)));
    assertEquals(List.of(2L, 4L), seqs(store.visibleSince("alice", 1, 2)), "the first n");
    assertEquals(List.of(3L, 4L, 6L), seqs(store.visibleSince("dave", 2, 100)));
    assertEquals(List.of(4L, 6L), seqs(store.visibleSince("eve", 2, 100)));
  }

  // ---- the epoch ----

  @Test
  void theEpochIsAWordThatSurvivesReopeningTheDatabase() throws Exception {
    SqliteStore store = open();
    String epoch = store.epoch();
    assertTrue(ServerLine.Seq.isEpoch(epoch), epoch);
    store.append(List.of(pm(1, "a", "1")));
    close(store);
    assertEquals(epoch, open().epoch());
  }

  @Test
  void aNewDatabaseHasANewEpoch(@TempDir Path other) throws Exception {
    String epoch = open().epoch();
    SqliteStore second = SqliteStore.open(other);
    opened.add(second);
    assertNotEquals(epoch, second.epoch());
  }

  @Test
  void anInMemoryStoreHasANewEpochEveryTime() {
    assertNotEquals(new InMemoryStore().epoch(), new InMemoryStore().epoch());
  }

  @Test
  void directMessagesStoredWithoutAccountsBelongToNoAccountAcrossARestart() throws Exception {
    SqliteStore store = open();
    store.append(List.of(pm(1, "alice", "hello"), dm(2, "alice", "bob", "without accounts")));
    close(store);

    SqliteStore withAccounts = open();
    withAccounts.setAccountsOn(true);
    withAccounts.append(List.of(dm(3, "alice", "bob", "with accounts")));
    assertEquals(List.of(1L, 3L), seqs(withAccounts.visibleTo("BOB", 100)));
    assertEquals(List.of(1L, 3L), seqs(withAccounts.visibleTo("alice", 100)));
  }

  @Test
  void aBatchWithADuplicateSeqFailsAndNothingOfItIsStored() throws Exception {
    SqliteStore store = open();
    store.append(List.of(pm(1, "a", "one"), pm(2, "a", "two")));

    StoreException e =
        assertThrows(
            StoreException.class,
            () -> store.append(List.of(pm(3, "a", "three"), pm(4, "a", "four"), pm(3, "a", "x"))));
    assertOneLine(e);
    assertThrows(
        StoreException.class,
        () -> store.append(List.of(pm(5, "a", "five"), pm(2, "a", "two again"))));

    assertEquals(2, store.lastSeq());
    assertEquals(List.of(1L, 2L), seqs(store.recentPublic(100)));
    assertEquals("two", store.recentPublic(1).get(0).text());
  }

  @Test
  void theStoreKeepsWorkingAfterAFailedBatch() throws Exception {
    SqliteStore store = open();
    store.append(List.of(pm(1, "a", "one")));
    assertThrows(
        StoreException.class, () -> store.append(List.of(pm(2, "a", "x"), pm(1, "a", "y"))));

    store.append(List.of(pm(2, "a", "two"), pm(3, "a", "three")));

    assertEquals(3, store.lastSeq());
    assertEquals(List.of(1L, 2L, 3L), seqs(store.recentPublic(100)));
    close(store);
    assertEquals(List.of(1L, 2L, 3L), seqs(open().recentPublic(100)));
  }

  @Test
  void reopeningKeepsEveryMessageAndTheLastSeq() throws Exception {
    SqliteStore store = open();
    List<ChatMessage> all = new ArrayList<>();
    for (long seq = 1; seq <= 300; seq++) {
      all.add(seq % 3 == 0 ? dm(seq, "alice", "bob", "dm " + seq) : pm(seq, "carol", "pm " + seq));
    }
    store.setAccountsOn(true);
    store.append(all.subList(0, 100));
    store.append(all.subList(100, 300));
    close(store);

    SqliteStore reopened = open();
    assertEquals(300, reopened.lastSeq());
    assertEquals(all, reopened.visibleTo("bob", 1000));
    assertEquals(200, reopened.recentPublic(1000).size());
  }

  // ---- schema ----

  @Test
  void aNewDatabaseHasTheCurrentSchemaVersion() throws Exception {
    close(open());
    try (Connection db = jdbc()) {
      assertEquals(Schema.CURRENT_VERSION, Schema.currentVersion(db));
      try (Statement st = db.createStatement();
          ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM schema_version")) {
        rs.next();
        assertEquals(1, rs.getInt(1), "one row records the version");
      }
    }
  }

  @Test
  void openingTwiceDoesNotMigrateAgain() throws Exception {
    SqliteStore store = open();
    store.append(List.of(pm(1, "a", "kept")));
    close(store);
    close(open());
    try (Connection db = jdbc()) {
      assertEquals(Schema.CURRENT_VERSION, Schema.currentVersion(db));
    }
    assertEquals(1, open().lastSeq());
  }

  @Test
  void directMessagesFromBeforeTheOwnershipColumnBelongToNoAccount() throws Exception {
    // A database as the previous server version left it (schema 2), with a DM in it.
    try (Connection db = jdbc();
        Statement st = db.createStatement()) {
      st.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
      st.execute("INSERT INTO schema_version (version) VALUES (2)");
      st.execute(
          "CREATE TABLE messages (seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL,"
              + " kind TEXT NOT NULL, sender TEXT NOT NULL, sender_key TEXT NOT NULL,"
              + " recipient TEXT, recipient_key TEXT, text TEXT NOT NULL)");
      st.execute(
          "CREATE TABLE accounts (name_key TEXT PRIMARY KEY, name TEXT NOT NULL,"
              + " salt BLOB NOT NULL, hash BLOB NOT NULL, iterations INTEGER NOT NULL,"
              + " created_ms INTEGER NOT NULL)");
      st.execute(
          "INSERT INTO messages VALUES (1, 1, 'PM', 'alice', 'alice', NULL, NULL, 'hello'),"
              + " (2, 2, 'DM', 'alice', 'alice', 'bob', 'bob', 'secret')");
    }

    SqliteStore store = open();
    store.setAccountsOn(true);
    assertEquals(2, store.lastSeq());
    assertEquals(List.of(1L), seqs(store.visibleTo("bob", 100)), "an old DM is nobody's");
    assertEquals(List.of(1L), seqs(store.visibleTo("alice", 100)));
    try (Connection db = jdbc()) {
      assertEquals(Schema.CURRENT_VERSION, Schema.currentVersion(db));
    }
  }

  @Test
  void aDatabaseFromANewerServerIsRefusedAndLeftAlone() throws Exception {
    close(open());
    int newer = Schema.CURRENT_VERSION + 1;
    try (Connection db = jdbc();
        Statement st = db.createStatement()) {
      st.execute("UPDATE schema_version SET version = " + newer);
    }

    StoreException e = assertThrows(StoreException.class, this::open);
    assertTrue(e.getMessage().contains("newer"), e.getMessage());
    assertOneLine(e);
    // Refused again (not "in use"): the failed open gave the folder's lock back.
    StoreException again = assertThrows(StoreException.class, this::open);
    assertTrue(again.getMessage().contains("newer"), again.getMessage());
    try (Connection db = jdbc()) {
      assertEquals(newer, Schema.currentVersion(db), "the newer database was not touched");
    }
  }

  // ---- opening failures ----

  @Test
  void aFileThatIsNotADatabaseIsRefusedWithOneLine() throws Exception {
    byte[] garbage =
        "this is not an SQLite database, just some bytes in its place\n"
            .repeat(200)
            .getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve(SqliteStore.DATABASE_FILE), garbage);

    StoreException e = assertThrows(StoreException.class, this::open);
    assertOneLine(e);
    assertTrue(e.getMessage().contains(SqliteStore.DATABASE_FILE), e.getMessage());
    assertTrue(e.getMessage().contains("not a database"), e.getMessage());
    StoreException again = assertThrows(StoreException.class, this::open);
    assertFalse(again.getMessage().contains("in use"), again.getMessage());
    assertArrayEquals(
        garbage,
        Files.readAllBytes(dir.resolve(SqliteStore.DATABASE_FILE)),
        "the file is left as it was");
  }

  @Test
  void aDatabaseDamagedInsideIsRefusedWithOneLine() throws Exception {
    SqliteStore store = open();
    List<ChatMessage> batch = new ArrayList<>();
    for (long seq = 1; seq <= 3000; seq++) {
      batch.add(pm(seq, "alice", "message number " + seq));
    }
    store.append(batch);
    close(store);
    // Pages 10 to 13 (of about 40) overwritten: the header and schema are fine, the data is not.
    try (RandomAccessFile file =
        new RandomAccessFile(dir.resolve(SqliteStore.DATABASE_FILE).toFile(), "rw")) {
      byte[] junk = new byte[4 * 4096];
      Arrays.fill(junk, (byte) 0x5A);
      file.seek(10 * 4096);
      file.write(junk);
    }

    StoreException e = assertThrows(StoreException.class, this::open);
    assertOneLine(e);
    assertTrue(e.getMessage().contains("damaged"), e.getMessage());
  }

  @Test
  void aDataFolderUnderARegularFileIsRefusedWithOneLine() throws Exception {
    Path file = Files.writeString(dir.resolve("plain-file"), "not a folder");
    Path under = file.resolve("data");

    StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(under));
    assertOneLine(e);
    assertTrue(e.getMessage().contains(under.toString()), e.getMessage());
  }

  @Test
  void aDataFolderThatIsARegularFileIsRefusedWithOneLine() throws Exception {
    Path file = Files.writeString(dir.resolve("plain-file"), "not a folder");

    StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(file));
    assertOneLine(e);
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void aReadOnlyDataFolderIsRefusedWithOneLine() throws Exception {
    Path readOnly = Files.createDirectory(dir.resolve("read-only"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-x------"));
    try {
      // root (or a process with CAP_DAC_OVERRIDE) bypasses permission checks.
      assumeFalse(Files.isWritable(readOnly), "permission checks are bypassed (running as root)");
      StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(readOnly));
      assertOneLine(e);
      assertTrue(e.getMessage().contains("not writable"), e.getMessage());
    } finally {
      Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void aSecondOpenOfAFolderInUseFailsAndTheFirstKeepsWorking() throws Exception {
    SqliteStore first = open();

    StoreException e = assertThrows(StoreException.class, this::open);
    assertTrue(e.getMessage().contains("in use"), e.getMessage());
    assertOneLine(e);

    first.append(List.of(pm(1, "a", "still mine")));
    close(first);
    assertEquals(1, open().lastSeq(), "free again once the first is closed");
  }

  @Test
  void aMissingDataFolderIsCreated() throws Exception {
    Path nested = dir.resolve("a").resolve("b").resolve("data");
    SqliteStore store = SqliteStore.open(nested);
    try {
      store.append(List.of(pm(1, "a", "x")));
    } finally {
      store.close();
    }
    assertTrue(Files.isRegularFile(nested.resolve(SqliteStore.DATABASE_FILE)));
  }

  // ---- accounts ----

  private static Account account(String name, int seed) {
    byte[] salt = new byte[16];
    byte[] hash = new byte[32];
    for (int i = 0; i < salt.length; i++) {
      salt[i] = (byte) (seed + i);
    }
    for (int i = 0; i < hash.length; i++) {
      hash[i] = (byte) (seed * 7 + i);
    }
    return new Account(name, salt, hash, 600_000);
  }

  @Test
  void accountsAreCreatedAndLoadedAcrossReopen() throws Exception {
    SqliteStore store = open();
    assertEquals(List.of(), store.loadAccounts());
    Account alice = account("Alice", 1);
    Account bob = account("bob", 2);
    store.createAccount(alice);
    store.createAccount(bob);
    close(store);

    List<Account> loaded = open().loadAccounts();
    assertEquals(2, loaded.size());
    assertTrue(loaded.contains(alice), loaded.toString());
    assertTrue(loaded.contains(bob), loaded.toString());
    Account loadedAlice = loaded.get(loaded.indexOf(alice));
    assertEquals("Alice", loadedAlice.name(), "the spelling at registration is kept");
    assertArrayEquals(alice.salt(), loadedAlice.salt());
    assertArrayEquals(alice.hash(), loadedAlice.hash());
    assertEquals(600_000, loadedAlice.iterations());
  }

  @Test
  void anAccountNameTakenInAnotherCaseCannotBeCreatedAgain() throws Exception {
    SqliteStore store = open();
    store.createAccount(account("Alice", 1));

    StoreException e =
        assertThrows(StoreException.class, () -> store.createAccount(account("ALICE", 2)));
    assertOneLine(e);
    assertThrows(StoreException.class, () -> store.createAccount(account("Alice", 3)));
    assertEquals(List.of(account("Alice", 1)), store.loadAccounts());
  }
}
