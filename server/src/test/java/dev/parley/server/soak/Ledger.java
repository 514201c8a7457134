package dev.parley.server.soak;

import dev.parley.server.Delivered;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the soak's clients saw, as they saw it: every signed-in epoch, every confirmed message, who
 * is online, the counts for the report, and every violation found on the way (a delivery out of
 * order or twice, another's text, a DM for someone else, a seq from two senders, a drop that was
 * not expected). Any thread; the worker threads write, the checks read once the workers settled.
 */
final class Ledger {
  private static final int MAX_VIOLATIONS = 50; // enough to see a pattern, not a flood

  private final List<Epoch> epochs = Collections.synchronizedList(new ArrayList<>());
  private final Map<Long, Confirmed> confirmed = new ConcurrentHashMap<>();
  private final Map<Long, Integer> recipientsClaimed = new ConcurrentHashMap<>(); // of each PM
  private final Map<Long, String> senderOfSeq = new ConcurrentHashMap<>();
  private final Set<String> online = ConcurrentHashMap.newKeySet(); // names signed in now
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong deliveries = new AtomicLong();
  private final AtomicInteger resets = new AtomicInteger();
  private final AtomicInteger returns = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();
  private final Map<String, AtomicInteger> dropReasons = new ConcurrentHashMap<>();
  private final Map<String, String> leaveReasons = new ConcurrentHashMap<>(); // last C LEAVE seen

  void violation(String what) {
    if (violations.size() < MAX_VIOLATIONS) {
      violations.add(what);
    }
  }

  List<String> violations() {
    synchronized (violations) {
      return List.copyOf(violations);
    }
  }

  // ---- what the clients report ----

  void signedIn(Epoch epoch) {
    epochs.add(epoch);
    online.add(epoch.name);
  }

  void offline(String name) {
    online.remove(name);
  }

  boolean isOnline(String name) {
    return online.contains(name);
  }

  void reset() {
    resets.incrementAndGet();
  }

  void comingBack() {
    returns.incrementAndGet();
  }

  void signInRetried() {
    retries.incrementAndGet();
  }

  /** A {@code C LEAVE name reason} seen by anyone: the reason a dropped client was not told. */
  void leaveSeen(String name, String reason) {
    leaveReasons.put(name, reason);
  }

  /** A {@code D} line read by client {@code name} before it was signed in. */
  void deliveredBeforeSignIn(String name, String line) {
    deliveries.incrementAndGet();
    violation(name + ": a delivery before sign-in: " + line);
  }

  /** A {@code D} line read in {@code epoch}. */
  void delivered(Epoch epoch, Delivered d) {
    deliveries.incrementAndGet();
    if (d.seq() <= epoch.lastSeq) {
      violation(epoch.name + ": seq " + d.seq() + " after " + epoch.lastSeq + " (order/twice)");
    }
    epoch.lastSeq = d.seq();
    epoch.received.set((int) d.seq());
    if (!d.text().startsWith(d.from() + "#")) {
      violation(epoch.name + ": seq " + d.seq() + " from " + d.from() + " has another's text");
    }
    if (d.to() != null && !d.to().equalsIgnoreCase(epoch.name)) {
      violation(epoch.name + ": got a DM for " + d.to());
    }
    String first = senderOfSeq.putIfAbsent(d.seq(), d.from());
    if (first != null && !first.equals(d.from())) {
      violation("seq " + d.seq() + " came from " + first + " and from " + d.from());
    }
  }

  /**
   * A {@code C SENT}: the message {@code c}, which the server says went to {@code recipients}
   * others (null for a DM, whose count is not claimed).
   */
  void confirmed(Confirmed c, Integer recipients) {
    if (recipients != null) {
      recipientsClaimed.put(c.seq(), recipients);
    }
    if (confirmed.putIfAbsent(c.seq(), c) != null) {
      violation("seq " + c.seq() + " confirmed twice");
    }
    String sender = c.sender().name;
    String first = senderOfSeq.putIfAbsent(c.seq(), sender);
    if (first != null && !first.equals(sender)) {
      violation("seq " + c.seq() + " confirmed to " + sender + " but came from " + first);
    }
  }

  /**
   * The server closed the connection of {@code epoch}, signed in and not leaving, at {@code now}:
   * its reason is the {@code C BYE} it was sent, else the {@code C LEAVE} the others were sent.
   * {@code why} is what the socket said, if anything.
   */
  void dropped(Epoch epoch, long now, String byeReason, String why) {
    epoch.end = Epoch.End.DROPPED;
    epoch.endAt = Math.min(epoch.endAt, now);
    // The goodbye is best effort (never after half a line); the others were told why.
    String reason =
        byeReason != null
            ? byeReason
            : leaveReasons.getOrDefault(epoch.name, "closed without a goodbye");
    epoch.dropReason = reason;
    dropReasons
        .computeIfAbsent(epoch.kind + ": " + reason, k -> new AtomicInteger())
        .incrementAndGet();
    if (!expectedDrop(epoch.kind, reason)) {
      violation(
          epoch.name
              + " ("
              + epoch.kind
              + ") was dropped: "
              + reason
              + (why == null ? "" : " / " + why));
    }
  }

  /**
   * Whether a client of this kind may be dropped for this reason: anyone too slow; one that is not
   * normal without a goodbye (it reset, or the server gave up on it mid-line); one that never reads
   * for not answering a ping.
   */
  static boolean expectedDrop(Kind kind, String reason) {
    return reason.equals("too slow")
        || (reason.equals("closed without a goodbye") && kind != Kind.NORMAL)
        || (reason.equals("ping timeout") && kind == Kind.NEVER_READS);
  }

  // ---- what the checks read ----

  /** The names of the epochs still connected, one per epoch. */
  List<String> stillConnected() {
    List<String> names = new ArrayList<>();
    synchronized (epochs) {
      for (Epoch e : epochs) {
        if (e.end == Epoch.End.CONNECTED) {
          names.add(e.name);
        }
      }
    }
    return names;
  }

  /**
   * Every confirmed message against every epoch that should have it ({@link DeliveryCheck}); what
   * is missing is a violation. Returns the number of (message, recipient) pairs checked.
   */
  long checkDeliveries() {
    List<Epoch> all;
    synchronized (epochs) {
      all = new ArrayList<>(epochs);
    }
    return DeliveryCheck.check(all, confirmed.values(), recipientsClaimed, this::violation);
  }

  int confirmedCount() {
    return confirmed.size();
  }

  long deliveries() {
    return deliveries.get();
  }

  int resets() {
    return resets.get();
  }

  int returns() {
    return returns.get();
  }

  int retries() {
    return retries.get();
  }

  /** "kind: reason" to how many were dropped so, sorted. */
  Map<String, Integer> dropReasons() {
    Map<String, Integer> sorted = new TreeMap<>();
    dropReasons.forEach((reason, n) -> sorted.put(reason, n.get()));
    return sorted;
  }
}
