package dev.parley.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The database schema and its forward migrations. The server creates and upgrades the schema
 * itself; each migration runs once, in its own transaction, and records its version. A database
 * written by a newer server is refused rather than touched.
 */
final class Schema {
  /** Migration i (0-based) takes the schema from version i to version i + 1. */
  private static final List<String[]> MIGRATIONS =
      List.of(
          new String[] {
            "CREATE TABLE messages ("
                + " seq INTEGER PRIMARY KEY,"
                + " time_ms INTEGER NOT NULL,"
                + " kind TEXT NOT NULL CHECK (kind IN ('PM', 'DM')),"
                + " sender TEXT NOT NULL,"
                + " sender_key TEXT NOT NULL,"
                + " recipient TEXT,"
                + " recipient_key TEXT,"
                + " text TEXT NOT NULL)",
            "CREATE INDEX messages_by_sender ON messages (sender_key, seq) WHERE kind = 'DM'",
            "CREATE INDEX messages_by_recipient ON messages (recipient_key, seq) WHERE kind = 'DM'"
          },
          new String[] {
            "CREATE TABLE accounts ("
                + " name_key TEXT PRIMARY KEY,"
                + " name TEXT NOT NULL,"
                + " salt BLOB NOT NULL,"
                + " hash BLOB NOT NULL,"
                + " iterations INTEGER NOT NULL,"
                + " created_ms INTEGER NOT NULL)"
          },
          // A DM belongs to accounts only if it was sent while accounts were on. Rows from before
          // this column cannot say, so they get 0: a DM that may have been sent under a name
          // nobody owned is never shown to whoever owns the name now (section 6).
          new String[] {
            "ALTER TABLE messages ADD COLUMN accounts_on INTEGER NOT NULL DEFAULT 0"
                + " CHECK (accounts_on IN (0, 1))"
          },
          // Rooms (protocol section 12). #main keeps the messages table and the epoch in meta, so
          // a client that remembers them resumes across the upgrade; every other room has its own
          // epoch and seq, and its messages here, keyed by the case-folded name.
          new String[] {
            "CREATE TABLE rooms ("
                + " room_key TEXT PRIMARY KEY,"
                + " name TEXT NOT NULL,"
                + " epoch TEXT NOT NULL,"
                + " last_seq INTEGER NOT NULL DEFAULT 0,"
                + " topic_setter TEXT,"
                + " topic_text TEXT,"
                + " created_ms INTEGER NOT NULL)",
            "CREATE TABLE room_messages ("
                + " room_key TEXT NOT NULL REFERENCES rooms (room_key),"
                + " seq INTEGER NOT NULL,"
                + " time_ms INTEGER NOT NULL,"
                + " sender TEXT NOT NULL,"
                + " text TEXT NOT NULL,"
                + " PRIMARY KEY (room_key, seq)) WITHOUT ROWID"
          });

  static final int CURRENT_VERSION = MIGRATIONS.size();

  private Schema() {}

  /** Brings the database up to {@link #CURRENT_VERSION}; throws if it is from a newer server. */
  static void migrate(Connection db) throws SQLException, StoreException {
    try (Statement st = db.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    }
    int version = currentVersion(db);
    if (version > CURRENT_VERSION) {
      throw new StoreException(
          "the database has schema version "
              + version
              + ", newer than this server's "
              + CURRENT_VERSION
              + "; use a newer parley or another --data-dir");
    }
    for (int v = version; v < CURRENT_VERSION; v++) {
      db.setAutoCommit(false);
      try (Statement st = db.createStatement()) {
        for (String sql : MIGRATIONS.get(v)) {
          st.execute(sql);
        }
        st.execute("DELETE FROM schema_version");
        st.execute("INSERT INTO schema_version (version) VALUES (" + (v + 1) + ")");
        db.commit();
      } catch (SQLException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    }
  }

  static int currentVersion(Connection db) throws SQLException {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }
}
