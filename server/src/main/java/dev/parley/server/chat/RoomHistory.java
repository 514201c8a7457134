package dev.parley.server.chat;

import dev.parley.server.store.StoreWriter;
import java.util.List;

/**
 * The room's past as its sessions read it: the recent public messages in memory, the store behind
 * them (queried through the writer), the history's name and the newest stored seq, and how much a
 * new user is shown. One per room, shared by every {@link SessionHistory}. Loop thread only.
 */
final class RoomHistory {
  private final RecentHistory recent;
  private final StoreWriter writer;
  private final StoreBatcher batcher; // knows the newest seq stored
  private final String epoch; // the history's name, for clients that resume by seq
  private final int onJoin; // public messages a new user gets after C READY
  private final boolean accountsOn; // with accounts the store answers every DM question

  RoomHistory(
      RecentHistory recent,
      StoreWriter writer,
      StoreBatcher batcher,
      String epoch,
      int onJoin,
      boolean accountsOn) {
    this.recent = recent;
    this.writer = writer;
    this.batcher = batcher;
    this.epoch = epoch;
    this.onJoin = onJoin;
    this.accountsOn = accountsOn;
  }

  boolean accountsOn() {
    return accountsOn;
  }

  StoreWriter writer() {
    return writer;
  }

  /** The recent public messages a new user gets right after {@code C READY}. */
  List<StoredMessage> forJoin() {
    return recent.last(onJoin);
  }

  List<StoredMessage> recentPublic(int n) {
    return recent.last(n);
  }

  /** True if the recent ring holds every public message after {@code afterSeq}. */
  boolean recentHoldsAllAfter(long afterSeq) {
    return recent.holdsAllAfter(afterSeq);
  }

  List<StoredMessage> recentPublicAfter(long afterSeq, int n) {
    return recent.after(afterSeq, n);
  }

  /** The name of this history (protocol section 10). */
  String epoch() {
    return epoch;
  }

  /** The newest seq stored and delivered so far; 0 when none is. */
  long lastStoredSeq() {
    return batcher.lastStoredSeq();
  }
}
