package dev.parley.server;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many clients the process's limit on open files leaves room for. Each client is one file
 * descriptor; a server allowed more clients than that runs out of descriptors, and then accepting
 * (and the store, and the log) fails. So at start {@code --max-clients} is capped at what the limit
 * allows, with one warning that says so and how to raise the limit, as Redis does for {@code
 * maxclients}. Called once, at start, before the store is opened; any thread.
 */
final class FileDescriptorBudget {
  private static final Logger LOG = LoggerFactory.getLogger(FileDescriptorBudget.class);

  /**
   * Descriptors kept for everything but clients, on top of those open at start: the store's files
   * (database, WAL, shared memory, the folder's lock), the selector and its wakeup, the listening
   * socket, jars and libraries loaded later, a refused client while it is told the server is full.
   * Redis keeps 32 for the same reasons.
   */
  static final int RESERVED = 32;

  private FileDescriptorBudget() {}

  /** The clients that {@code limit} leaves room for when {@code openNow} are open already. */
  static long clientsAllowed(long limit, long openNow) {
    return limit - openNow - RESERVED;
  }

  /**
   * {@code config} with {@code --max-clients} capped at what the file limit allows, warning once if
   * it is lowered; unchanged where the JVM cannot tell the limit. Throws when the limit leaves room
   * for no client at all.
   *
   * @param handshakes descriptors kept besides for TLS handshakes under way, which hold no client
   *     seat ({@code --max-tls-handshakes}; 0 without TLS): a flood of them must not take the
   *     descriptors that clients' seats promise
   */
  static ServerConfig capMaxClients(ServerConfig config, int handshakes) throws IOException {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof UnixOperatingSystemMXBean unix)) {
      return config;
    }
    long limit = unix.getMaxFileDescriptorCount();
    long openNow = unix.getOpenFileDescriptorCount() + handshakes;
    long allowed = clientsAllowed(limit, openNow);
    long needed = config.maxClients() + openNow + RESERVED;
    if (allowed >= config.maxClients()) {
      return config;
    }
    if (allowed < 1) {
      throw new IOException(
          "the process may open only "
              + limit
              + " files (ulimit -n), too few for any client; raise it to at least "
              + (openNow + RESERVED + 1));
    }
    LOG.warn(
        "serving at most {} clients, not --max-clients {}: the process may open {} files (ulimit"
            + " -n) and {} are kept for the server; raise it with 'ulimit -n {}' to serve {}",
        allowed,
        config.maxClients(),
        limit,
        openNow + RESERVED,
        needed,
        config.maxClients());
    return config.toBuilder().maxClients((int) allowed).build();
  }
}
