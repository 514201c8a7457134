package dev.parley.client;

import dev.parley.protocol.ClientLine;

/**
 * Where the session's parts send protocol lines: the connection of the moment ({@link
 * ChatClient#send}), or a recording in tests. Loop thread only.
 */
@FunctionalInterface
interface Outbox {
  /** Queues {@code line}; {@code onWritten}, if not null, runs once it is written or dropped. */
  void send(ClientLine line, Runnable onWritten);

  default void send(ClientLine line) {
    send(line, null);
  }
}
