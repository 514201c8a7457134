package dev.parley.server;

import dev.parley.protocol.LineDecoder;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Every server setting, with its default. Built by {@link Main} from the command line; everything
 * else takes this record.
 *
 * @param host address to listen on
 * @param port TCP port; 0 picks a free one (tests)
 * @param maxLineBytes longest line accepted from a client, before its LF
 * @param maxQueueBytes unsent bytes a client may have queued before it is dropped as too slow
 * @param maxClients connections served at once; more get {@code C ERR 503}
 * @param historyOnJoin public messages replayed at sign-in
 * @param store where history is kept
 * @param dataDir the folder of the SQLite store (unused by the memory store)
 * @param accounts whether names are password accounts
 */
public record ServerConfig(
    String host,
    int port,
    int maxLineBytes,
    long maxQueueBytes,
    int maxClients,
    int historyOnJoin,
    StoreKind store,
    Path dataDir,
    boolean accounts) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5000;
  public static final long DEFAULT_MAX_QUEUE_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_CLIENTS = 10_000;
  public static final int DEFAULT_HISTORY_ON_JOIN = 20;
  public static final Path DEFAULT_DATA_DIR = Path.of("parley-data");

  /** The history stores a server can run with. */
  public enum StoreKind {
    /** SQLite in the data folder: survives restarts and crashes (the default). */
    SQLITE,
    /** In the process only: for throwaway servers and tests. */
    MEMORY
  }

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
    if (maxLineBytes < 16) {
      throw new IllegalArgumentException("max line must be at least 16 bytes, got " + maxLineBytes);
    }
    if (maxQueueBytes < 4L * maxLineBytes) {
      throw new IllegalArgumentException(
          "max queue must be at least 4 times the max line (" + 4L * maxLineBytes + " bytes)");
    }
    if (maxClients < 1) {
      throw new IllegalArgumentException("max clients must be at least 1, got " + maxClients);
    }
    if (historyOnJoin < 0 || historyOnJoin > 1000) {
      throw new IllegalArgumentException("history on join must be 0-1000, got " + historyOnJoin);
    }
  }

  /** The command line's defaults: SQLite in ./parley-data, listening on 127.0.0.1:5000. */
  public static ServerConfig defaults() {
    return new ServerConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        LineDecoder.DEFAULT_MAX_LINE_BYTES,
        DEFAULT_MAX_QUEUE_BYTES,
        DEFAULT_MAX_CLIENTS,
        DEFAULT_HISTORY_ON_JOIN,
        StoreKind.SQLITE,
        DEFAULT_DATA_DIR,
        false);
  }

  public ServerConfig withAddress(String host, int port) {
    return new ServerConfig(
        host,
        port,
        maxLineBytes,
        maxQueueBytes,
        maxClients,
        historyOnJoin,
        store,
        dataDir,
        accounts);
  }

  public ServerConfig withMemoryStore() {
    return new ServerConfig(
        host,
        port,
        maxLineBytes,
        maxQueueBytes,
        maxClients,
        historyOnJoin,
        StoreKind.MEMORY,
        dataDir,
        accounts);
  }

  public ServerConfig withSqliteStore(Path dataDir) {
    return new ServerConfig(
        host,
        port,
        maxLineBytes,
        maxQueueBytes,
        maxClients,
        historyOnJoin,
        StoreKind.SQLITE,
        dataDir,
        accounts);
  }

  public ServerConfig withAccounts(boolean on) {
    return new ServerConfig(
        host, port, maxLineBytes, maxQueueBytes, maxClients, historyOnJoin, store, dataDir, on);
  }
}
