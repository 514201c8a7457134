package dev.parley.server.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.Delivered;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks the ledger makes as the clients report what they read. */
class LedgerTest {
  private static final String TIME = "2026-01-02T03:04:05.678Z";

  private final Ledger ledger = new Ledger();
  private final Epoch reader = new Epoch("n0006", Kind.NORMAL, 1);

  private static Delivered pm(long seq, String from, String text) {
    return new Delivered("PM", seq, TIME, from, null, text);
  }

  @Test
  void deliveriesInSeqOrderWithTheirSendersTextAreFine() {
    ledger.signedIn(reader);
    ledger.delivered(reader, pm(3, "n0005", "n0005#1 xx"));
    ledger.delivered(reader, new Delivered("DM", 8, TIME, "r0002", "N0006", "r0002#4 x"));

    assertEquals(List.of(), ledger.violations());
    assertEquals(2, ledger.deliveries());
    assertTrue(reader.received.get(3) && reader.received.get(8));
    assertTrue(ledger.isOnline("n0006"));
  }

  @Test
  void aDeliveryOutOfOrderOrTwiceIsAViolation() {
    ledger.delivered(reader, pm(5, "n0005", "n0005#1 x"));
    ledger.delivered(reader, pm(5, "n0005", "n0005#1 x"));

    assertEquals(List.of("n0006: seq 5 after 5 (order/twice)"), ledger.violations());
  }

  @Test
  void anothersTextADmForSomeoneElseAndTwoSendersOfOneSeqAreViolations() {
    ledger.delivered(reader, pm(1, "n0005", "n0007#1 x"));
    ledger.delivered(reader, new Delivered("DM", 2, TIME, "n0005", "n0007", "n0005#2 x"));
    ledger.confirmed(new Confirmed(3, false, new Epoch("n0008", Kind.NORMAL, 1), null, 5, 6), 4);
    ledger.delivered(reader, pm(3, "n0005", "n0005#3 x"));

    assertEquals(
        List.of(
            "n0006: seq 1 from n0005 has another's text",
            "n0006: got a DM for n0007",
            "seq 3 came from n0008 and from n0005"),
        ledger.violations());
  }

  @Test
  void aDeliveryBeforeSignInIsAViolationAndStillCounted() {
    ledger.deliveredBeforeSignIn("n0006", "D PM 1 " + TIME + " n0005 n0005#1 x");

    assertEquals(1, ledger.deliveries());
    assertEquals(
        List.of("n0006: a delivery before sign-in: D PM 1 " + TIME + " n0005 n0005#1 x"),
        ledger.violations());
  }

  @Test
  void aSeqConfirmedTwiceIsAViolation() {
    Epoch sender = new Epoch("n0005", Kind.NORMAL, 1);
    ledger.confirmed(new Confirmed(4, false, sender, null, 5, 6), 10);
    ledger.confirmed(new Confirmed(4, false, sender, null, 7, 8), 10);

    assertEquals(List.of("seq 4 confirmed twice"), ledger.violations());
    assertEquals(1, ledger.confirmedCount());
  }

  @Test
  void aDropIsExpectedOnlyForTheKindsThatAskForIt() {
    assertTrue(Ledger.expectedDrop(Kind.NORMAL, "too slow"));
    assertTrue(Ledger.expectedDrop(Kind.RESETS, "closed without a goodbye"));
    assertFalse(Ledger.expectedDrop(Kind.NORMAL, "closed without a goodbye"));
    assertTrue(Ledger.expectedDrop(Kind.NEVER_READS, "ping timeout"));
    assertFalse(Ledger.expectedDrop(Kind.SLOW, "ping timeout"));
    assertFalse(Ledger.expectedDrop(Kind.FLOODS, "idle"));
  }

  @Test
  void aDroppedClientsReasonIsItsGoodbyeElseWhatTheOthersWereTold() {
    Epoch told = new Epoch("z0001", Kind.NEVER_READS, 1);
    Epoch untold = new Epoch("n0002", Kind.NORMAL, 1);
    ledger.leaveSeen("n0002", "ping timeout");

    ledger.dropped(told, 50, "too slow", null);
    ledger.dropped(untold, 60, null, "Connection reset");

    assertEquals(Epoch.End.DROPPED, told.end);
    assertEquals(50, told.endAt);
    assertEquals("ping timeout", untold.dropReason);
    assertEquals(
        Map.of("NEVER_READS: too slow", 1, "NORMAL: ping timeout", 1), ledger.dropReasons());
    assertEquals(
        List.of("n0002 (NORMAL) was dropped: ping timeout / Connection reset"),
        ledger.violations());
  }

  @Test
  void stillConnectedNamesOnlyTheEpochsThatDidNotEnd() {
    Epoch left = new Epoch("n0007", Kind.NORMAL, 1);
    left.end = Epoch.End.LEFT;
    ledger.signedIn(reader);
    ledger.signedIn(left);

    assertEquals(List.of("n0006"), ledger.stillConnected());
  }

  @Test
  void violationsStopBeingKeptAfterFifty() {
    for (int i = 0; i < 60; i++) {
      ledger.violation("v" + i);
    }

    assertEquals(50, ledger.violations().size());
    assertEquals("v49", ledger.violations().get(49));
  }
}
