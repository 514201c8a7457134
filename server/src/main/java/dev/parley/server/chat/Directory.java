package dev.parley.server.chat;

import dev.parley.protocol.Names;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is online: signed-in sessions by case-folded name, in sign-in order. A name is claimed at
 * sign-in and released when its session ends. Loop thread only.
 */
final class Directory {
  private final Map<String, Session> byKey = new LinkedHashMap<>();
  // A live read-only view, made once: the router walks it for every message.
  private final Collection<Session> sessions = Collections.unmodifiableCollection(byKey.values());

  /** Claims {@code name} for {@code session}; false when someone online has it in any case. */
  boolean claim(String name, Session session) {
    return byKey.putIfAbsent(Names.key(name), session) == null;
  }

  void release(String name, Session session) {
    byKey.remove(Names.key(name), session);
  }

  /** The session signed in under {@code name} in any case, or null. */
  Session find(String name) {
    return byKey.get(Names.key(name));
  }

  int size() {
    return byKey.size();
  }

  /** Names as spelled at sign-in, in sign-in order. */
  List<String> names() {
    List<String> names = new ArrayList<>(byKey.size());
    for (Session s : byKey.values()) {
      names.add(s.name());
    }
    return names;
  }

  Collection<Session> sessions() {
    return sessions;
  }
}
