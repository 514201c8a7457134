package dev.parley.client;

import dev.parley.protocol.Names;
import java.util.List;
import java.util.TreeMap;

/**
 * Who is online as far as this client has heard ({@code C READY}, {@code C USERS}, {@code C JOIN},
 * {@code C LEAVE}), for Tab completion. Written by the loop thread, read by the keyboard thread:
 * every change publishes a new immutable sorted list.
 */
final class Roster {
  private final TreeMap<String, String> byKey = new TreeMap<>(); // loop thread only
  private volatile List<String> names = List.of();

  /** The names, sorted without regard to case. Any thread. */
  List<String> names() {
    return names;
  }

  void signedIn(String me) {
    joined(me);
  }

  void replace(List<String> online) {
    byKey.clear();
    for (String name : online) {
      byKey.put(Names.key(name), name);
    }
    publish();
  }

  void joined(String name) {
    byKey.put(Names.key(name), name);
    publish();
  }

  void left(String name) {
    byKey.remove(Names.key(name));
    publish();
  }

  private void publish() {
    names = List.copyOf(byKey.values());
  }
}
