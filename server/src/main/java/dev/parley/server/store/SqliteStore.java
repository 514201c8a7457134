package dev.parley.server.store;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.MessageKind;
import dev.parley.protocol.Names;
import dev.parley.protocol.RoomNames;
import dev.parley.server.account.Account;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The embedded default store: one SQLite database in the data folder, in WAL mode with {@code
 * synchronous=FULL}, so a batch whose commit returned survives a process kill and a power loss.
 * Every call blocks on disk, and it is not thread-safe: one thread at a time. The server reads at
 * start on the starting thread, then hands it to the store thread of a {@link ThreadedStoreWriter},
 * which is the only one to use it from then on.
 */
public final class SqliteStore implements Store {
  public static final String DATABASE_FILE = "parley.db";

  /** What SQLite keeps beside the database: the write-ahead log, its index, a rollback journal. */
  private static final List<String> SQLITE_SIDE_FILES = List.of("-wal", "-shm", "-journal");

  /**
   * The messages an account may see: every public one and its own DMs sent while accounts were on
   * (two keys to bind).
   */
  private static final String VISIBLE_TO_ACCOUNT =
      "(kind = 'PM' OR (accounts_on = 1 AND (sender_key = ? OR recipient_key = ?)))";

  private static final String COLUMNS = "SELECT seq, time_ms, kind, sender, recipient, text";

  // SQLite's primary result codes for failures that are about the disk rather than the data.
  private static final int SQLITE_READONLY = 8;
  private static final int SQLITE_IOERR = 10;
  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_FULL = 13;

  private final DataFolder folder;
  private final Connection db;
  private final PreparedStatement insert;
  private final PreparedStatement insertInRoom;
  private final PreparedStatement advanceRoom;
  private final String epoch;
  private boolean accountsOn; // DMs appended now belong to their accounts

  private SqliteStore(DataFolder folder, Connection db, String epoch) throws SQLException {
    this.folder = folder;
    this.db = db;
    this.epoch = epoch;
    this.insert =
        db.prepareStatement(
            "INSERT INTO messages (seq, time_ms, kind, sender, sender_key, recipient,"
                + " recipient_key, text, accounts_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    this.insertInRoom =
        db.prepareStatement(
            "INSERT INTO room_messages (room_key, seq, time_ms, sender, text) VALUES (?, ?, ?, ?, ?)");
    this.advanceRoom =
        db.prepareStatement("UPDATE rooms SET last_seq = MAX(last_seq, ?) WHERE room_key = ?");
  }

  /**
   * Opens (creating if needed) the database in {@code dataDir}. Fails with a one-line reason when
   * the folder is unwritable or in use, the file is not a database, or its schema is newer.
   */
  public static SqliteStore open(Path dataDir) throws StoreException {
    DataFolder folder = DataFolder.open(dataDir);
    Path file = folder.resolve(DATABASE_FILE);
    Connection db = null;
    try {
      folder.ownerOnlyFile(DATABASE_FILE);
      for (String suffix : SQLITE_SIDE_FILES) {
        folder.closeToOthers(DATABASE_FILE + suffix);
      }
      db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement st = db.createStatement()) {
        st.execute("PRAGMA busy_timeout = 2000");
        // Reading the journal mode is the first access to the file: a corrupt one fails here.
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("PRAGMA synchronous = FULL");
        st.execute("PRAGMA foreign_keys = ON");
      }
      Schema.migrate(db);
      String epoch = Epoch.loadOrCreate(db);
      try (Statement st = db.createStatement();
          ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
        if (!rs.next() || !"ok".equals(rs.getString(1))) {
          throw new StoreException(file + " is damaged (quick_check failed)");
        }
      }
      return new SqliteStore(folder, db, epoch);
    } catch (SQLException e) {
      closeQuietly(db);
      folder.close();
      // Damage may be met before quick_check runs, by whichever read touches a broken page first.
      throw new StoreException(
          (e.getErrorCode() & 0xff) == SQLITE_CORRUPT
              ? file + " is damaged (" + oneLine(e) + ")"
              : "cannot open " + file + ": " + oneLine(e));
    } catch (StoreException e) {
      closeQuietly(db);
      folder.close();
      throw e;
    }
  }

  @Override
  public String epoch() {
    return epoch;
  }

  @Override
  public long lastSeq() throws StoreException {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM messages")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StoreException("cannot read the last seq: " + oneLine(e), e);
    }
  }

  @Override
  public void setAccountsOn(boolean on) {
    accountsOn = on;
  }

  @Override
  public void append(List<ChatMessage> batch) throws StoreException {
    try {
      db.setAutoCommit(false);
      try {
        for (ChatMessage m : batch) {
          if (m.room() != null) {
            addInRoom(m);
            continue;
          }
          insert.setLong(1, m.seq());
          insert.setLong(2, m.timeMillis());
          insert.setString(3, m.kind().name());
          insert.setString(4, m.from());
          insert.setString(5, Names.key(m.from()));
          insert.setString(6, m.to());
          insert.setString(7, m.to() == null ? null : Names.key(m.to()));
          insert.setString(8, m.text());
          insert.setInt(9, accountsOn ? 1 : 0);
          insert.addBatch();
        }
        // Every room's messages and #main's in one transaction: one commit per group.
        insert.executeBatch();
        insertInRoom.executeBatch();
        advanceRoom.executeBatch();
        db.commit();
        db.setAutoCommit(true);
      } catch (SQLException e) {
        undo(e);
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot store " + batch.size() + " messages: " + reason(e), e);
    }
  }

  /**
   * Takes back a failed transaction. After some failures (a full disk among them) SQLite has rolled
   * it back already, so ending it fails with "no transaction is active": that must never be what is
   * reported instead of {@code cause}, so such follow-on errors are only attached to it.
   */
  private void undo(SQLException cause) {
    for (PreparedStatement st : List.of(insert, insertInRoom, advanceRoom)) {
      try {
        st.clearBatch();
      } catch (SQLException e) {
        cause.addSuppressed(e);
      }
    }
    try {
      db.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
    try {
      db.setAutoCommit(true);
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private void addInRoom(ChatMessage m) throws SQLException {
    String key = RoomNames.key(m.room());
    insertInRoom.setString(1, key);
    insertInRoom.setLong(2, m.seq());
    insertInRoom.setLong(3, m.timeMillis());
    insertInRoom.setString(4, m.from());
    insertInRoom.setString(5, m.text());
    insertInRoom.addBatch();
    advanceRoom.setLong(1, m.seq());
    advanceRoom.setString(2, key);
    advanceRoom.addBatch();
  }

  @Override
  public RoomRecord openRoom(String name) throws StoreException {
    String key = RoomNames.key(name);
    try {
      RoomRecord stored = loadRoom(key);
      if (stored != null) {
        return stored;
      }
      try (PreparedStatement st =
          db.prepareStatement(
              "INSERT INTO rooms (room_key, name, epoch, last_seq, created_ms)"
                  + " VALUES (?, ?, ?, 0, ?)")) {
        st.setString(1, key);
        st.setString(2, name);
        st.setString(3, Epoch.random());
        st.setLong(4, System.currentTimeMillis());
        st.executeUpdate();
      }
      return loadRoom(key);
    } catch (SQLException e) {
      throw new StoreException("cannot open room " + name + ": " + reason(e), e);
    }
  }

  private RoomRecord loadRoom(String key) throws SQLException {
    try (PreparedStatement st =
        db.prepareStatement(
            "SELECT name, epoch, last_seq, topic_setter, topic_text FROM rooms WHERE room_key = ?")) {
      st.setString(1, key);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next()
            ? new RoomRecord(
                rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5))
            : null;
      }
    }
  }

  @Override
  public void setTopic(String room, String setter, String text) throws StoreException {
    try (PreparedStatement st =
        db.prepareStatement(
            "UPDATE rooms SET topic_setter = ?, topic_text = ? WHERE room_key = ?")) {
      st.setString(1, setter);
      st.setString(2, text);
      st.setString(3, RoomNames.key(room));
      if (st.executeUpdate() != 1) {
        throw new StoreException("cannot set the topic of " + room + ": no such room");
      }
    } catch (SQLException e) {
      throw new StoreException("cannot set the topic of " + room + ": " + reason(e), e);
    }
  }

  private static final String ROOM_COLUMNS =
      "SELECT seq, time_ms, sender, text, (SELECT name FROM rooms WHERE room_key = ?)";

  @Override
  public List<ChatMessage> roomRecent(String room, int n) throws StoreException {
    String key = RoomNames.key(room);
    List<ChatMessage> newestFirst =
        roomQuery(
            ROOM_COLUMNS + " FROM room_messages WHERE room_key = ? ORDER BY seq DESC LIMIT ?",
            n,
            key,
            key);
    Collections.reverse(newestFirst);
    return newestFirst;
  }

  @Override
  public List<ChatMessage> roomSince(String room, long afterSeq, int n) throws StoreException {
    String key = RoomNames.key(room);
    return roomQuery(
        ROOM_COLUMNS + " FROM room_messages WHERE room_key = ? AND seq > ? ORDER BY seq LIMIT ?",
        n,
        key,
        key,
        afterSeq);
  }

  private List<ChatMessage> roomQuery(String sql, int n, Object... params) throws StoreException {
    return read(
        sql,
        n,
        "room history",
        rs ->
            ChatMessage.roomMessage(
                rs.getString(5), rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)),
        params);
  }

  @Override
  public List<ChatMessage> recentPublic(int n) throws StoreException {
    List<ChatMessage> newestFirst =
        query(COLUMNS + " FROM messages WHERE kind = 'PM' ORDER BY seq DESC LIMIT ?", n);
    Collections.reverse(newestFirst);
    return newestFirst;
  }

  @Override
  public List<ChatMessage> visibleTo(String name, int n) throws StoreException {
    String key = Names.key(name);
    List<ChatMessage> newestFirst =
        query(
            COLUMNS + " FROM messages WHERE " + VISIBLE_TO_ACCOUNT + " ORDER BY seq DESC LIMIT ?",
            n,
            key,
            key);
    Collections.reverse(newestFirst);
    return newestFirst;
  }

  @Override
  public List<ChatMessage> publicSince(long afterSeq, int n) throws StoreException {
    return query(
        COLUMNS + " FROM messages WHERE kind = 'PM' AND seq > ? ORDER BY seq LIMIT ?", n, afterSeq);
  }

  @Override
  public List<ChatMessage> visibleSince(String name, long afterSeq, int n) throws StoreException {
    String key = Names.key(name);
    return query(
        COLUMNS
            + " FROM messages WHERE "
            + VISIBLE_TO_ACCOUNT
            + " AND seq > ? ORDER BY seq LIMIT ?",
        n,
        key,
        key,
        afterSeq);
  }

  /** Runs {@code sql} with {@code params} bound in order and the limit {@code n} last. */
  private List<ChatMessage> query(String sql, int n, Object... params) throws StoreException {
    return read(
        sql,
        n,
        "history",
        rs ->
            new ChatMessage(
                rs.getLong(1),
                rs.getLong(2),
                MessageKind.valueOf(rs.getString(3)),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6)),
        params);
  }

  /** One row of a history query as a message. */
  private interface Row {
    ChatMessage read(ResultSet rs) throws SQLException;
  }

  private List<ChatMessage> read(String sql, int n, String what, Row row, Object... params)
      throws StoreException {
    try (PreparedStatement st = db.prepareStatement(sql)) {
      int i = 1;
      for (Object param : params) {
        st.setObject(i++, param);
      }
      st.setInt(i, n);
      List<ChatMessage> result = new ArrayList<>(Math.min(n, 1024));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          result.add(row.read(rs));
        }
      }
      return result;
    } catch (SQLException e) {
      throw new StoreException("cannot read " + what + ": " + oneLine(e), e);
    }
  }

  @Override
  public List<Account> loadAccounts() throws StoreException {
    List<Account> accounts = new ArrayList<>();
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT name, salt, hash, iterations FROM accounts")) {
      while (rs.next()) {
        accounts.add(new Account(rs.getString(1), rs.getBytes(2), rs.getBytes(3), rs.getInt(4)));
      }
      return accounts;
    } catch (SQLException e) {
      throw new StoreException("cannot read accounts: " + oneLine(e), e);
    }
  }

  @Override
  public void createAccount(Account account) throws StoreException {
    try (PreparedStatement st =
        db.prepareStatement(
            "INSERT INTO accounts (name_key, name, salt, hash, iterations, created_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      st.setString(1, Names.key(account.name()));
      st.setString(2, account.name());
      st.setBytes(3, account.salt());
      st.setBytes(4, account.hash());
      st.setInt(5, account.iterations());
      st.setLong(6, System.currentTimeMillis());
      st.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot create account " + account.name() + ": " + reason(e), e);
    }
  }

  /**
   * Lets the database grow to {@code pages} pages at most; past that SQLite fails writes with
   * SQLITE_FULL, exactly as when the disk is full. Tests only: a real full disk cannot be made on
   * demand.
   */
  void limitPages(long pages) throws SQLException {
    try (Statement st = db.createStatement()) {
      st.execute("PRAGMA max_page_count = " + pages);
    }
  }

  /** Pages the database holds now. */
  long pageCount() throws SQLException {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA page_count")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws StoreException {
    try {
      insert.close();
      insertInRoom.close();
      advanceRoom.close();
      db.close();
    } catch (SQLException e) {
      throw new StoreException("cannot close the database: " + oneLine(e), e);
    } finally {
      folder.close();
    }
  }

  private static void closeQuietly(Connection db) {
    if (db != null) {
      try {
        db.close();
      } catch (SQLException e) {
        // Already failing; the first error is the one worth reporting.
      }
    }
  }

  /**
   * What a write failure means for whoever runs the server, then SQLite's own words: "database or
   * disk is full" alone does not say that the disk is the likely culprit.
   */
  static String reason(SQLException e) {
    String meaning = switch (e.getErrorCode() & 0xff) { // the primary result code
          case SQLITE_FULL -> "the disk is full";
          case SQLITE_IOERR -> "the disk could not be written";
          case SQLITE_READONLY -> "the database cannot be written";
          default -> null;
        };
    return meaning == null ? oneLine(e) : meaning + " (" + oneLine(e) + ")";
  }

  /** SQLite's messages carry the error code in brackets and sometimes a second line. */
  static String oneLine(SQLException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
