package dev.parley.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * The seq merge: decides which messages the person sees, so that every seq is shown exactly once
 * and in seq order, wherever it came from (the history at sign-in, the answer to a resume, a live
 * delivery, the confirmation of one's own message). While a resume is under way it holds what
 * arrives and releases it sorted by seq as the gap is filled. What it holds is bounded in count and
 * in characters (a server's line may be a mebibyte): past either bound the lowest seq held is shown
 * at once, at the cost of its order among later arrivals. Not thread-safe; the session's loop
 * thread owns it.
 *
 * @param <T> what is shown for one seq
 */
final class Timeline<T> {
  /** How many shown seqs are remembered for spotting duplicates; older ones count as shown. */
  static final int REMEMBERED = 4096;

  /** The most items held at once: two resume pages. */
  static final int MAX_HELD = 2 * Resume.PAGE;

  /** The most characters held at once (two pages of the server's longest lines, about 16 MB). */
  static final long MAX_HELD_CHARS = 2L * Resume.PAGE * 4096;

  private final TreeSet<Long> shown = new TreeSet<>(); // the most recent seqs shown
  private final TreeMap<Long, T> held = new TreeMap<>(); // arrived while holding, by seq
  private final ToIntFunction<T> chars; // how many characters an item holds
  private long heldChars;
  private boolean holding;

  /**
   * @param chars the characters an item holds, for the bound on what is held
   */
  Timeline(ToIntFunction<T> chars) {
    this.chars = chars;
  }

  /**
   * Offers the message with {@code seq}; returns what to show now: nothing when it was shown before
   * or is being held, else the message itself; while holding, the lowest held when the bound is
   * passed.
   */
  List<T> add(long seq, T item) {
    if (wasShown(seq)) {
      return List.of();
    }
    if (!holding) {
      markShown(seq);
      return List.of(item);
    }
    if (held.putIfAbsent(seq, item) == null) {
      heldChars += chars.applyAsInt(item);
    }
    List<T> overflow = new ArrayList<>(1);
    while (held.size() > MAX_HELD || (heldChars > MAX_HELD_CHARS && held.size() > 1)) {
      Map.Entry<Long, T> lowest = held.pollFirstEntry();
      heldChars -= chars.applyAsInt(lowest.getValue());
      markShown(lowest.getKey());
      overflow.add(lowest.getValue());
    }
    return overflow;
  }

  /** From now on, hold what arrives until {@link #release}. */
  void hold() {
    holding = true;
  }

  boolean holding() {
    return holding;
  }

  /** Stops holding: returns what was held and not shown before, in seq order. */
  List<T> release() {
    holding = false;
    return releaseThrough(Long.MAX_VALUE);
  }

  /**
   * Goes on holding, but returns what is held up to and including {@code seq} and was not shown
   * before, in seq order: a part of the gap known to be complete.
   */
  List<T> releaseThrough(long seq) {
    Map<Long, T> through = held.headMap(seq, true);
    List<T> out = new ArrayList<>(through.size());
    for (Map.Entry<Long, T> e : through.entrySet()) {
      heldChars -= chars.applyAsInt(e.getValue());
      if (!wasShown(e.getKey())) {
        markShown(e.getKey());
        out.add(e.getValue());
      }
    }
    through.clear();
    return out;
  }

  /** How many items are held now. */
  int heldCount() {
    return held.size();
  }

  /** Forgets every seq shown: the server's history started again and its seqs are new ones. */
  void reset() {
    shown.clear();
  }

  /** The highest seq offered so far, shown or held; 0 when none. */
  long lastSeen() {
    return held.isEmpty() ? lastShown() : Math.max(lastShown(), held.lastKey());
  }

  /** The highest seq shown so far; 0 when none. */
  long lastShown() {
    return shown.isEmpty() ? 0 : shown.last();
  }

  private boolean wasShown(long seq) {
    // Below the remembered window everything counts as shown: it is far older than the screen.
    return shown.contains(seq) || (shown.size() >= REMEMBERED && seq < shown.first());
  }

  private void markShown(long seq) {
    shown.add(seq);
    if (shown.size() > REMEMBERED) {
      shown.pollFirst();
    }
  }
}
