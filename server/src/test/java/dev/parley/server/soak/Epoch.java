package dev.parley.server.soak;

import java.util.BitSet;

/**
 * One signed-in session of a soak client: from its {@code C READY} to its end, with the seqs it
 * received. Written by the client's worker thread, read by the checks once the workers settled.
 */
final class Epoch {
  /** How one connection's signed-in life ended. */
  enum End {
    CONNECTED,
    LEFT,
    RESET,
    DROPPED
  }

  final String name;
  final Kind kind;
  final long readyAt;
  long endAt = Long.MAX_VALUE; // when the client sent C EX or reset; MAX_VALUE while online
  End end = End.CONNECTED;
  String dropReason;
  final BitSet received = new BitSet();
  long lastSeq;

  Epoch(String name, Kind kind, long readyAt) {
    this.name = name;
    this.kind = kind;
    this.readyAt = readyAt;
  }

  boolean readsEverything() {
    return kind != Kind.NEVER_READS;
  }

  /** Whether it was online from before {@code sentAt} until after {@code confirmedAt}. */
  boolean onlineThroughout(long sentAt, long confirmedAt) {
    return readyAt < sentAt && confirmedAt < endAt;
  }
}
