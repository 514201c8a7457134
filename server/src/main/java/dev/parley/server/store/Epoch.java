package dev.parley.server.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;

/**
 * The name of one history, for clients that resume by seq (protocol section 10): random, so two
 * databases never share one, and kept in the database's {@code meta} table, so a restart keeps it.
 * The table is made here rather than by a numbered migration: it is independent of the message
 * schema, and an older database gets its epoch the first time this version opens it.
 */
final class Epoch {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String KEY = "epoch";

  private Epoch() {}

  /** 16 random bytes as 22 characters of {@code [A-Za-z0-9_-]}. */
  static String random() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The database's epoch, made and stored on first use. */
  static String loadOrCreate(Connection db) throws SQLException {
    try (Statement st = db.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    }
    String stored = load(db);
    if (stored != null) {
      return stored;
    }
    try (PreparedStatement st =
        db.prepareStatement("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)")) {
      st.setString(1, KEY);
      st.setString(2, random());
      st.executeUpdate();
    }
    return load(db);
  }

  private static String load(Connection db) throws SQLException {
    try (PreparedStatement st = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      st.setString(1, KEY);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
