package dev.parley.server.soak;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The soak's delivery check: every confirmed message reached, exactly once, every epoch online from
 * before its send until after its confirmation that reads everything and was neither reset on
 * purpose nor dropped (those are reported, not checked); a DM only its recipient. Order and
 * duplicates within one epoch are checked as the lines arrive ({@link Ledger#delivered}).
 */
final class DeliveryCheck {
  private DeliveryCheck() {}

  /**
   * Checks {@code confirmed} against {@code epochs}, with the number of recipients the server
   * claimed for each PM, and reports each miss to {@code violation}. Returns the number of
   * (message, recipient) pairs checked for presence.
   */
  static long check(
      List<Epoch> epochs,
      Collection<Confirmed> confirmed,
      Map<Long, Integer> recipientsClaimed,
      Consumer<String> violation) {
    Map<String, List<Epoch>> byName = new HashMap<>();
    for (Epoch e : epochs) {
      byName.computeIfAbsent(e.name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(e);
    }
    long checks = 0;
    for (Confirmed m : confirmed) {
      int got = 0;
      for (Epoch e : epochs) {
        if (e.received.get((int) m.seq())) {
          got++;
        }
      }
      Integer claimed = recipientsClaimed.get(m.seq());
      if (claimed != null && got > claimed) {
        violation.accept("seq " + m.seq() + " received " + got + " times, sent to " + claimed);
      }
      List<Epoch> candidates =
          m.direct() ? byName.getOrDefault(m.to().toLowerCase(Locale.ROOT), List.of()) : epochs;
      for (Epoch e : candidates) {
        if (!owed(e, m)) {
          continue;
        }
        checks++;
        if (!e.received.get((int) m.seq())) {
          violation.accept(
              e.name
                  + " ("
                  + e.kind
                  + ", "
                  + e.end
                  + ") never got seq "
                  + m.seq()
                  + (m.direct() ? " (DM)" : " (PM)")
                  + " from "
                  + m.sender().name);
        }
      }
    }
    return checks;
  }

  /** Whether epoch {@code e}, a candidate recipient, must have received {@code m}. */
  private static boolean owed(Epoch e, Confirmed m) {
    return e != m.sender()
        && e.readsEverything()
        && e.end != Epoch.End.RESET
        && e.end != Epoch.End.DROPPED
        && e.onlineThroughout(m.sentAt(), m.confirmedAt());
  }
}
