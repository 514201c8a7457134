package dev.parley.server.store;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientLine;
import dev.parley.protocol.Names;
import dev.parley.protocol.RoomNames;
import dev.parley.server.account.Account;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A store that lives and dies with the process, for throwaway servers and tests. Keeps the last
 * {@code capacity} messages of {@code #main} and the last {@link #ROOM_CAPACITY} of every other
 * room so memory stays bounded per room; every room gets a new epoch with every process. Never
 * blocks, so its writer runs on the loop. Not thread-safe: one thread at a time.
 */
public final class InMemoryStore implements Store {
  public static final int DEFAULT_CAPACITY = 10_000;

  /** Messages kept per room other than {@code #main}: enough for the largest {@code C CH}. */
  public static final int ROOM_CAPACITY = ClientLine.ChatHistory.MAX_COUNT;

  private final int capacity;
  private final ArrayDeque<Stored> messages = new ArrayDeque<>();
  private final Map<String, Account> accounts = new HashMap<>();
  private final Map<String, Room> rooms = new HashMap<>(); // by case-folded name
  private long lastSeq;
  private boolean accountsOn; // DMs appended now belong to their accounts
  private final String epoch = Epoch.random(); // history starts again with every process

  /** A message and whether it was appended while accounts were on. */
  private record Stored(ChatMessage message, boolean accountsOn) {}

  /** A room other than {@code #main}: its record and its last messages. */
  private static final class Room {
    RoomRecord record;
    final ArrayDeque<ChatMessage> messages = new ArrayDeque<>();

    Room(RoomRecord record) {
      this.record = record;
    }
  }

  public InMemoryStore(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  public InMemoryStore() {
    this(DEFAULT_CAPACITY);
  }

  @Override
  public long lastSeq() {
    return lastSeq;
  }

  @Override
  public String epoch() {
    return epoch;
  }

  @Override
  public void setAccountsOn(boolean on) {
    accountsOn = on;
  }

  @Override
  public void append(List<ChatMessage> batch) {
    // Check the whole batch before keeping any of it: all of it or none of it. Seq counts per room.
    Map<String, Long> previous = new HashMap<>();
    for (ChatMessage m : batch) {
      String key = m.room() == null ? null : RoomNames.key(m.room());
      if (key != null && !rooms.containsKey(key)) {
        throw new IllegalArgumentException("no room " + m.room());
      }
      long before =
          previous.getOrDefault(key, key == null ? lastSeq : rooms.get(key).record.lastSeq());
      if (m.seq() <= before) {
        throw new IllegalArgumentException("seq " + m.seq() + " is not after " + before);
      }
      previous.put(key, m.seq());
    }
    for (ChatMessage m : batch) {
      if (m.room() != null) {
        Room room = rooms.get(RoomNames.key(m.room()));
        RoomRecord r = room.record;
        room.record = new RoomRecord(r.name(), r.epoch(), m.seq(), r.topicSetter(), r.topicText());
        room.messages.addLast(m);
        if (room.messages.size() > ROOM_CAPACITY) {
          room.messages.removeFirst();
        }
        continue;
      }
      lastSeq = m.seq();
      messages.addLast(new Stored(m, accountsOn));
      if (messages.size() > capacity) {
        messages.removeFirst();
      }
    }
  }

  @Override
  public RoomRecord openRoom(String name) {
    return rooms.computeIfAbsent(
            RoomNames.key(name), k -> new Room(new RoomRecord(name, Epoch.random(), 0, null, null)))
        .record;
  }

  @Override
  public void setTopic(String room, String setter, String text) throws StoreException {
    Room r = rooms.get(RoomNames.key(room));
    if (r == null) {
      throw new StoreException("cannot set the topic of " + room + ": no such room");
    }
    r.record = new RoomRecord(r.record.name(), r.record.epoch(), r.record.lastSeq(), setter, text);
  }

  @Override
  public List<ChatMessage> roomRecent(String room, int n) {
    Room r = rooms.get(RoomNames.key(room));
    if (r == null) {
      return List.of();
    }
    List<ChatMessage> all = new ArrayList<>(r.messages);
    return all.subList(Math.max(0, all.size() - n), all.size());
  }

  @Override
  public List<ChatMessage> roomSince(String room, long afterSeq, int n) {
    Room r = rooms.get(RoomNames.key(room));
    List<ChatMessage> result = new ArrayList<>();
    if (r != null) {
      for (Iterator<ChatMessage> it = r.messages.iterator(); it.hasNext() && result.size() < n; ) {
        ChatMessage m = it.next();
        if (m.seq() > afterSeq) {
          result.add(m);
        }
      }
    }
    return result;
  }

  @Override
  public List<ChatMessage> recentPublic(int n) {
    return lastMatching(n, s -> s.message().isPublic());
  }

  @Override
  public List<ChatMessage> visibleTo(String name, int n) {
    return lastMatching(n, visibleTo(name));
  }

  @Override
  public List<ChatMessage> publicSince(long afterSeq, int n) {
    return firstMatchingAfter(afterSeq, n, s -> s.message().isPublic());
  }

  @Override
  public List<ChatMessage> visibleSince(String name, long afterSeq, int n) {
    return firstMatchingAfter(afterSeq, n, visibleTo(name));
  }

  /** Public messages, and the DMs of the account {@code name} stored while accounts were on. */
  private static Predicate<Stored> visibleTo(String name) {
    String key = Names.key(name);
    return s ->
        s.message().isPublic()
            || s.accountsOn()
                && (Names.key(s.message().from()).equals(key)
                    || Names.key(s.message().to()).equals(key));
  }

  private List<ChatMessage> firstMatchingAfter(long afterSeq, int n, Predicate<Stored> visible) {
    List<ChatMessage> result = new ArrayList<>(Math.min(n, messages.size()));
    for (Iterator<Stored> it = messages.iterator(); it.hasNext() && result.size() < n; ) {
      Stored s = it.next();
      if (s.message().seq() > afterSeq && visible.test(s)) {
        result.add(s.message());
      }
    }
    return result;
  }

  private List<ChatMessage> lastMatching(int n, Predicate<Stored> visible) {
    List<ChatMessage> newestFirst = new ArrayList<>(Math.min(n, messages.size()));
    for (Iterator<Stored> it = messages.descendingIterator();
        it.hasNext() && newestFirst.size() < n; ) {
      Stored s = it.next();
      if (visible.test(s)) {
        newestFirst.add(s.message());
      }
    }
    Collections.reverse(newestFirst); // oldest first, as SqliteStore answers
    return newestFirst;
  }

  @Override
  public List<Account> loadAccounts() {
    return new ArrayList<>(accounts.values());
  }

  @Override
  public void createAccount(Account account) throws StoreException {
    if (accounts.putIfAbsent(Names.key(account.name()), account) != null) {
      throw new StoreException("account " + account.name() + " exists");
    }
  }

  @Override
  public void close() {}
}
