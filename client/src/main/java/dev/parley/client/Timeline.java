package dev.parley.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The seq merge: decides which messages the person sees, so that every seq is shown exactly once
 * and in seq order, wherever it came from (the history at sign-in, the answer to a resume, a live
 * delivery, the confirmation of one's own message). While a resume is under way it holds what
 * arrives and releases it sorted by seq once the gap is known to be filled. Not thread-safe; the
 * session's loop thread owns it.
 *
 * @param <T> what is shown for one seq
 */
final class Timeline<T> {
  /** How many shown seqs are remembered for spotting duplicates; older ones count as shown. */
  static final int REMEMBERED = 4096;

  private final TreeSet<Long> shown = new TreeSet<>(); // the most recent seqs shown
  private final TreeMap<Long, T> held = new TreeMap<>(); // arrived while holding, by seq
  private boolean holding;

  /**
   * Offers the message with {@code seq}; returns what to show now: nothing when it was shown before
   * or is being held, else the message itself.
   */
  List<T> add(long seq, T item) {
    if (wasShown(seq)) {
      return List.of();
    }
    if (holding) {
      held.putIfAbsent(seq, item);
      return List.of();
    }
    markShown(seq);
    return List.of(item);
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
    List<T> out = new ArrayList<>(held.size());
    for (Map.Entry<Long, T> e : held.entrySet()) {
      if (!wasShown(e.getKey())) {
        markShown(e.getKey());
        out.add(e.getValue());
      }
    }
    held.clear();
    return out;
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
