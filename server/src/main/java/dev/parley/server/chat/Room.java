package dev.parley.server.chat;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.RoomNames;
import dev.parley.server.store.RoomRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One room other than {@code #main} (protocol section 12): its members in joining order, its own
 * ordering arbiter (epoch and gap-free seq), the newest seq the store confirmed, and its topic. A
 * room starts out loading (its record is being read from the store, or made there) and is usable
 * once {@link #loaded} ran; joiners who came meanwhile wait in it. Its history lives in the store.
 * Loop thread only.
 */
final class Room {
  private final String key;
  private String name; // as first spelled; the spelling asked for until the record is read
  private String epoch;
  private long lastSeq; // the newest seq given out
  private long lastStoredSeq; // the newest seq the store confirmed
  private int inFlight; // messages ordered here that the store has not answered yet
  private String topicSetter;
  private String topicText;
  private final Set<Session> members = new LinkedHashSet<>();
  private final Collection<Session> membersView = Collections.unmodifiableSet(members);
  private List<Joiner> waiting = new ArrayList<>(); // null once loaded
  private boolean loadStarted;

  /** Someone waiting to come into a room that is being read from the store. */
  interface Joiner {
    void joined(Room room);

    /** The store could not read or make the room. */
    void failed();
  }

  Room(String asked) {
    this.key = RoomNames.key(asked);
    this.name = asked;
  }

  String key() {
    return key;
  }

  String name() {
    return name;
  }

  String epoch() {
    return epoch;
  }

  boolean isLoaded() {
    return waiting == null;
  }

  /** Lets {@code joiner} in once the room is loaded (at once if it is), or tells it of failure. */
  void whenLoaded(Joiner joiner) {
    if (waiting == null) {
      joiner.joined(this);
    } else {
      waiting.add(joiner);
    }
  }

  /** True the first time it is asked of a room not loaded: the asker reads it from the store. */
  boolean startLoad() {
    if (waiting == null || loadStarted) {
      return false;
    }
    loadStarted = true;
    return true;
  }

  /** The store answered: the room takes its lasting state, and the joiners waiting come in. */
  void loaded(RoomRecord record) {
    name = record.name();
    epoch = record.epoch();
    lastSeq = record.lastSeq();
    lastStoredSeq = record.lastSeq();
    topicSetter = record.topicSetter();
    topicText = record.topicText();
    List<Joiner> joiners = waiting;
    waiting = null;
    for (Joiner joiner : joiners) {
      joiner.joined(this);
    }
  }

  /** The store could not open the room: those waiting are told (the room is dropped). */
  void failed() {
    List<Joiner> joiners = waiting;
    waiting = new ArrayList<>();
    loadStarted = false;
    for (Joiner joiner : joiners) {
      joiner.failed();
    }
  }

  /** A new message in this room, ordered now: the next seq and the receive time. */
  ChatMessage sequence(String from, String text, Clock clock) {
    inFlight++;
    return ChatMessage.roomMessage(name, ++lastSeq, clock.millis(), from, text);
  }

  /** The store answered for the message with {@code seq}: stored, or refused (a gap in seq). */
  void settled(long seq, boolean stored) {
    inFlight--;
    if (stored) {
      lastStoredSeq = Math.max(lastStoredSeq, seq);
    }
  }

  long lastStoredSeq() {
    return lastStoredSeq;
  }

  /** True while messages were ordered here that the store has not confirmed (or refused) yet. */
  boolean hasUnstored() {
    return inFlight > 0;
  }

  String topicSetter() {
    return topicSetter;
  }

  String topicText() {
    return topicText;
  }

  void setTopic(String setter, String text) {
    topicSetter = setter;
    topicText = text;
  }

  boolean add(Session session) {
    return members.add(session);
  }

  boolean remove(Session session) {
    return members.remove(session);
  }

  boolean has(Session session) {
    return members.contains(session);
  }

  int size() {
    return members.size();
  }

  /** The members in joining order; a live view, walked by the router for every message. */
  Collection<Session> members() {
    return membersView;
  }

  List<String> memberNames() {
    List<String> names = new ArrayList<>(members.size());
    for (Session s : members) {
      names.add(s.name());
    }
    return names;
  }
}
