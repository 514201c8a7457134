package dev.parley.server.chat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Members by identity, in no particular order, each added and removed in constant time and walked
 * as fast as a list: the room's open sessions. A removal moves the last member into the gap, so the
 * order changes; the member's place is kept here, not on the member. Not thread-safe.
 */
final class UnorderedSet<T> implements Iterable<T> {
  private final List<T> members = new ArrayList<>();
  private final Map<T, Integer> places = new IdentityHashMap<>();

  /** Adds {@code member}; does nothing if it is already in. */
  void add(T member) {
    if (places.putIfAbsent(member, members.size()) == null) {
      members.add(member);
    }
  }

  /** Removes {@code member}; does nothing if it is not in. */
  void remove(T member) {
    Integer place = places.remove(member);
    if (place == null) {
      return;
    }
    T last = members.remove(members.size() - 1);
    if (last != member) {
      members.set(place, last);
      places.put(last, place);
    }
  }

  int size() {
    return members.size();
  }

  /** The member at {@code i}, for a walk by index while members may be added. */
  T get(int i) {
    return members.get(i);
  }

  /** The members now, as a copy: for a walk during which members leave. */
  List<T> snapshot() {
    return new ArrayList<>(members);
  }

  @Override
  public Iterator<T> iterator() {
    return Collections.unmodifiableList(members).iterator();
  }
}
