package dev.parley.server.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The delivery check on fixed epochs and messages: who is owed a message and who is excused. */
class DeliveryCheckTest {
  private final Epoch sender = online("n0005", Kind.NORMAL, 10);
  private final List<String> violations = new ArrayList<>();

  private static Epoch online(String name, Kind kind, long readyAt) {
    return new Epoch(name, kind, readyAt);
  }

  private static Epoch ended(String name, Kind kind, long readyAt, long endAt, Epoch.End end) {
    Epoch e = new Epoch(name, kind, readyAt);
    e.endAt = endAt;
    e.end = end;
    return e;
  }

  private static Confirmed pm(long seq, Epoch from, long sentAt, long confirmedAt) {
    return new Confirmed(seq, false, from, null, sentAt, confirmedAt);
  }

  private long check(List<Epoch> epochs, List<Confirmed> confirmed, Map<Long, Integer> claimed) {
    return DeliveryCheck.check(epochs, confirmed, claimed, violations::add);
  }

  @Test
  void aPmMissedByAReaderOnlineThroughoutIsAViolation() {
    Epoch got = online("n0006", Kind.NORMAL, 20);
    Epoch missed = online("s0020", Kind.SLOW, 20);
    got.received.set(7);

    long checked =
        check(List.of(sender, got, missed), List.of(pm(7, sender, 100, 110)), Map.of(7L, 2));

    assertEquals(2, checked);
    assertEquals(List.of("s0020 (SLOW, CONNECTED) never got seq 7 (PM) from n0005"), violations);
  }

  @Test
  void thoseNotOnlineThroughoutOrNotReadingOrResetOrDroppedAreNotOwedIt() {
    List<Epoch> excused =
        List.of(
            sender, // its own message
            online("n0006", Kind.NORMAL, 100), // signed in as it was sent
            ended("n0007", Kind.NORMAL, 20, 110, Epoch.End.LEFT), // left before the confirmation
            online("z0001", Kind.NEVER_READS, 20),
            ended("r0002", Kind.RESETS, 20, 200, Epoch.End.RESET),
            ended("s0000", Kind.SLOW, 20, 200, Epoch.End.DROPPED)); // after it was confirmed

    long checked = check(excused, List.of(pm(7, sender, 100, 110)), Map.of(7L, 5));

    assertEquals(0, checked);
    assertEquals(List.of(), violations);
  }

  @Test
  void aDmIsOwedOnlyToItsRecipientWhateverTheCase() {
    Epoch recipient = online("n0006", Kind.NORMAL, 20);
    Epoch bystander = online("n0007", Kind.NORMAL, 20);

    long checked =
        check(
            List.of(sender, recipient, bystander),
            List.of(new Confirmed(9, true, sender, "N0006", 100, 110)),
            Map.of());

    assertEquals(1, checked);
    assertEquals(List.of("n0006 (NORMAL, CONNECTED) never got seq 9 (DM) from n0005"), violations);
  }

  @Test
  void aPmReceivedMoreOftenThanTheServerSaidItSentIsAViolation() {
    Epoch first = online("n0006", Kind.NORMAL, 20);
    Epoch second = online("n0007", Kind.NORMAL, 20);
    first.received.set(7);
    second.received.set(7);

    check(List.of(sender, first, second), List.of(pm(7, sender, 100, 110)), Map.of(7L, 1));

    assertEquals(List.of("seq 7 received 2 times, sent to 1"), violations);
  }
}
