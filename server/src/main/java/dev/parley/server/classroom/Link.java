package dev.parley.server.classroom;

import java.nio.ByteBuffer;

/**
 * What a pair does with one client's connection. In the server it is the client's {@link
 * dev.parley.server.net.Connection}; tests use a recording fake, so the pair's rules can be checked
 * without sockets. Loop thread only.
 */
interface Link {

  /** Queues one encoded line for the client; written at the end of the loop iteration. */
  void send(ByteBuffer line);

  /** The participant may accept input again: read what waits (stashed bytes first). */
  void resumeInput();

  /** Reads what the kernel already holds now, if input is wanted, instead of at the next select. */
  void readNow();

  /** Writes what is queued, then closes; reads nothing more. */
  void closeAfterFlush(String reason);

  /** Bytes queued for the client and not yet written. */
  long pendingBytes();
}
