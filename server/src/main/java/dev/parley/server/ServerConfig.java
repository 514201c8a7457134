package dev.parley.server;

import dev.parley.protocol.ClientLine;
import dev.parley.protocol.DefaultAddress;
import dev.parley.protocol.LineDecoder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Every server setting, with its default, and the rules that hold between them (the one place they
 * are checked). Built from the option table ({@link ServerOptions}); everything else takes this
 * record. {@link #toBuilder()} changes a few settings of an existing one: the table fills one in,
 * and some thirty tests start from the defaults and change what they exercise.
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
 * @param maxRate lines per second a connection may send on average; 0 turns the allowance off
 * @param rateBurst lines a connection may send at once before the rate applies
 * @param idleTimeout silence after which the server sends {@code C PING}, and again after which it
 *     drops the connection; zero turns idle checks off
 * @param signInTimeout time a connection has to reach {@code C READY}
 * @param maxPasswordChecks password checks that may wait for the hashing threads in all (accounts)
 * @param maxPasswordChecksPerAddress password checks that may wait from one client address
 * @param maxFailedSignInsPerMinute wrong passwords per minute on the whole server beyond which only
 *     names that signed in from that address before may sign in with a password (accounts)
 * @param maxRoomsPerUser rooms one connection may be in, {@code #main} counted (section 12)
 * @param maxRooms rooms with a user in them, {@code #main} counted; a JOIN beyond either is 405
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
    boolean accounts,
    double maxRate,
    int rateBurst,
    Duration idleTimeout,
    Duration signInTimeout,
    int maxPasswordChecks,
    int maxPasswordChecksPerAddress,
    int maxFailedSignInsPerMinute,
    int maxRoomsPerUser,
    int maxRooms) {
  /** The shortest line limit: a client must be able to send at least a sign-in line. */
  public static final int MIN_LINE_BYTES = 16;

  /** The queue holds at least four of the longest lines (see the compact constructor). */
  public static final long MIN_QUEUE_BYTES = 4L * MIN_LINE_BYTES;

  public static final long DEFAULT_MAX_QUEUE_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_CLIENTS = 10_000;
  public static final int DEFAULT_HISTORY_ON_JOIN = 20;
  public static final Path DEFAULT_DATA_DIR = Path.of("parley-data");
  public static final double DEFAULT_MAX_RATE = 20;
  public static final int DEFAULT_RATE_BURST = 100;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_SIGN_IN_TIMEOUT = Duration.ofSeconds(10);
  // A class of 32 signing in at once from behind one address fits twice over; at a few hashes a
  // second, 256 waiting checks take about a minute to clear.
  public static final int DEFAULT_MAX_PASSWORD_CHECKS = 256;
  public static final int DEFAULT_MAX_PASSWORD_CHECKS_PER_ADDRESS = 64;
  // A class of 32 signing in with a few typos stays far below it; a spray of one guess per name
  // from many addresses reaches it within a minute.
  public static final int DEFAULT_MAX_FAILED_SIGN_INS_PER_MINUTE = 20;
  // The contract's limits (section 12); both count #main, so 1 means rooms are off in effect.
  public static final int DEFAULT_MAX_ROOMS_PER_USER = 20;
  public static final int DEFAULT_MAX_ROOMS = 10_000;

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
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(signInTimeout, "signInTimeout");
    require(port >= 0 && port <= 65535, "port must be 0-65535, got " + port);
    require(
        maxLineBytes >= MIN_LINE_BYTES,
        "max line must be at least " + MIN_LINE_BYTES + " bytes, got " + maxLineBytes);
    require(
        maxQueueBytes >= 4L * maxLineBytes,
        "max queue must be at least 4 times the max line (" + 4L * maxLineBytes + " bytes)");
    require(maxClients >= 1, "max clients must be at least 1, got " + maxClients);
    require(
        historyOnJoin >= 0 && historyOnJoin <= ClientLine.ChatHistory.MAX_COUNT,
        "history on join must be 0-" + ClientLine.ChatHistory.MAX_COUNT + ", got " + historyOnJoin);
    require(maxRate >= 0, "max rate must not be negative, got " + maxRate);
    require(rateBurst >= 1, "rate burst must be at least 1, got " + rateBurst);
    require(!idleTimeout.isNegative(), "idle timeout must not be negative");
    require(!signInTimeout.isNegative() && !signInTimeout.isZero(), "sign-in timeout must be > 0");
    require(
        maxPasswordChecks >= 1, "max password checks must be at least 1, got " + maxPasswordChecks);
    require(
        maxPasswordChecksPerAddress >= 1,
        "max password checks per address must be at least 1, got " + maxPasswordChecksPerAddress);
    require(
        maxFailedSignInsPerMinute >= 1,
        "max failed sign-ins per minute must be at least 1, got " + maxFailedSignInsPerMinute);
    require(maxRoomsPerUser >= 1, "max rooms per user must be at least 1, got " + maxRoomsPerUser);
    require(maxRooms >= 1, "max rooms must be at least 1, got " + maxRooms);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The command line's defaults: SQLite in ./parley-data, listening on 127.0.0.1:5000. */
  public static ServerConfig defaults() {
    return new ServerConfig(
        DefaultAddress.HOST,
        DefaultAddress.PORT,
        LineDecoder.DEFAULT_MAX_LINE_BYTES,
        DEFAULT_MAX_QUEUE_BYTES,
        DEFAULT_MAX_CLIENTS,
        DEFAULT_HISTORY_ON_JOIN,
        StoreKind.SQLITE,
        DEFAULT_DATA_DIR,
        false,
        DEFAULT_MAX_RATE,
        DEFAULT_RATE_BURST,
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_SIGN_IN_TIMEOUT,
        DEFAULT_MAX_PASSWORD_CHECKS,
        DEFAULT_MAX_PASSWORD_CHECKS_PER_ADDRESS,
        DEFAULT_MAX_FAILED_SIGN_INS_PER_MINUTE,
        DEFAULT_MAX_ROOMS_PER_USER,
        DEFAULT_MAX_ROOMS);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public ServerConfig withAddress(String host, int port) {
    return toBuilder().host(host).port(port).build();
  }

  public ServerConfig withMemoryStore() {
    return toBuilder().store(StoreKind.MEMORY).build();
  }

  public ServerConfig withSqliteStore(Path dataDir) {
    return toBuilder().store(StoreKind.SQLITE).dataDir(dataDir).build();
  }

  public ServerConfig withAccounts(boolean on) {
    return toBuilder().accounts(on).build();
  }

  /** Changes some settings of a config; {@link #build()} checks them all together. */
  public static final class Builder {
    private String host;
    private int port;
    private int maxLineBytes;
    private long maxQueueBytes;
    private int maxClients;
    private int historyOnJoin;
    private StoreKind store;
    private Path dataDir;
    private boolean accounts;
    private double maxRate;
    private int rateBurst;
    private Duration idleTimeout;
    private Duration signInTimeout;
    private int maxPasswordChecks;
    private int maxPasswordChecksPerAddress;
    private int maxFailedSignInsPerMinute;
    private int maxRoomsPerUser;
    private int maxRooms;

    private Builder(ServerConfig c) {
      host = c.host;
      port = c.port;
      maxLineBytes = c.maxLineBytes;
      maxQueueBytes = c.maxQueueBytes;
      maxClients = c.maxClients;
      historyOnJoin = c.historyOnJoin;
      store = c.store;
      dataDir = c.dataDir;
      accounts = c.accounts;
      maxRate = c.maxRate;
      rateBurst = c.rateBurst;
      idleTimeout = c.idleTimeout;
      signInTimeout = c.signInTimeout;
      maxPasswordChecks = c.maxPasswordChecks;
      maxPasswordChecksPerAddress = c.maxPasswordChecksPerAddress;
      maxFailedSignInsPerMinute = c.maxFailedSignInsPerMinute;
      maxRoomsPerUser = c.maxRoomsPerUser;
      maxRooms = c.maxRooms;
    }

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder maxLineBytes(int value) {
      maxLineBytes = value;
      return this;
    }

    public Builder maxQueueBytes(long value) {
      maxQueueBytes = value;
      return this;
    }

    public Builder maxClients(int value) {
      maxClients = value;
      return this;
    }

    public Builder historyOnJoin(int value) {
      historyOnJoin = value;
      return this;
    }

    public Builder store(StoreKind value) {
      store = value;
      return this;
    }

    public Builder dataDir(Path value) {
      dataDir = value;
      return this;
    }

    public Builder accounts(boolean value) {
      accounts = value;
      return this;
    }

    public Builder maxRate(double value) {
      maxRate = value;
      return this;
    }

    public Builder rateBurst(int value) {
      rateBurst = value;
      return this;
    }

    public Builder idleTimeout(Duration value) {
      idleTimeout = value;
      return this;
    }

    public Builder signInTimeout(Duration value) {
      signInTimeout = value;
      return this;
    }

    public Builder maxPasswordChecks(int value) {
      maxPasswordChecks = value;
      return this;
    }

    public Builder maxPasswordChecksPerAddress(int value) {
      maxPasswordChecksPerAddress = value;
      return this;
    }

    public Builder maxFailedSignInsPerMinute(int value) {
      maxFailedSignInsPerMinute = value;
      return this;
    }

    public Builder maxRoomsPerUser(int value) {
      maxRoomsPerUser = value;
      return this;
    }

    public Builder maxRooms(int value) {
      maxRooms = value;
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(
          host,
          port,
          maxLineBytes,
          maxQueueBytes,
          maxClients,
          historyOnJoin,
          store,
          dataDir,
          accounts,
          maxRate,
          rateBurst,
          idleTimeout,
          signInTimeout,
          maxPasswordChecks,
          maxPasswordChecksPerAddress,
          maxFailedSignInsPerMinute,
          maxRoomsPerUser,
          maxRooms);
    }
  }
}
