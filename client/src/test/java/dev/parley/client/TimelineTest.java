package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seq merge: each seq shown once, in seq order, whatever brings it. */
class TimelineTest {
  private final Timeline<String> timeline = new Timeline<>(String::length);
  private final List<String> shown = new ArrayList<>();

  private void add(long seq) {
    shown.addAll(timeline.add(seq, "#" + seq));
  }

  @Test
  void liveMessagesAreShownAsTheyComeAndRepeatsAreNot() {
    add(1);
    add(2);
    add(2);
    add(1);
    add(5);
    assertEquals(List.of("#1", "#2", "#5"), shown);
    assertEquals(5, timeline.lastShown());
  }

  @Test
  void joinHistoryResumeAnswerAndLiveMergeBySeqWithDuplicatesAndOutOfOrder() {
    add(10); // shown before the connection was lost
    add(11);
    timeline.hold();
    // history at sign-in (11 again, 12), a live 15 overtaking the resume answer (12 again, 13, 14),
    // and a live 15 once more
    for (long seq : new long[] {11, 12, 15, 12, 13, 14, 15}) {
      add(seq);
    }
    assertEquals(List.of("#10", "#11"), shown); // nothing while holding
    shown.addAll(timeline.release());
    add(16);
    add(14);
    assertEquals(List.of("#10", "#11", "#12", "#13", "#14", "#15", "#16"), shown);
  }

  @Test
  void anOlderSeqNotShownBeforeIsStillShown() {
    add(5);
    add(3); // out of order, but never shown: it is not a duplicate
    assertEquals(List.of("#5", "#3"), shown);
  }

  @Test
  void aResetForgetsTheOldHistorysSeqs() {
    add(30);
    timeline.reset();
    add(1);
    add(30);
    assertEquals(List.of("#30", "#1", "#30"), shown);
  }

  @Test
  void memoryIsBoundedAndFarOlderSeqsCountAsShown() {
    for (long seq = 1; seq <= Timeline.REMEMBERED + 10; seq++) {
      add(seq);
    }
    shown.clear();
    add(5); // long scrolled away: taken as a repeat
    add(Timeline.REMEMBERED + 10); // remembered: a repeat
    add(Timeline.REMEMBERED + 11);
    assertEquals(List.of("#" + (Timeline.REMEMBERED + 11)), shown);
  }

  @Test
  void whatIsHeldIsBoundedByCountShowingTheLowestEarly() {
    timeline.hold();
    for (long seq = 1; seq <= Timeline.MAX_HELD + 2; seq++) {
      add(seq);
    }
    assertEquals(List.of("#1", "#2"), shown);
    assertEquals(Timeline.MAX_HELD, timeline.heldCount());
  }

  @Test
  void whatIsHeldIsBoundedByCharacters() {
    Timeline<String> big = new Timeline<>(String::length);
    big.hold();
    String huge = "x".repeat((int) (Timeline.MAX_HELD_CHARS / 3) + 1);
    List<String> early = new ArrayList<>();
    for (long seq = 1; seq <= 3; seq++) {
      early.addAll(big.add(seq, huge + seq));
    }
    assertEquals(List.of(huge + 1), early);
    assertEquals(2, big.heldCount());
  }

  @Test
  void releasingThroughASeqShowsThatPartOfTheGapAndHoldsTheRest() {
    timeline.hold();
    add(7);
    add(3);
    add(5);
    shown.addAll(timeline.releaseThrough(5));
    assertEquals(List.of("#3", "#5"), shown);
    add(5); // shown already
    add(6);
    shown.addAll(timeline.release());
    assertEquals(List.of("#3", "#5", "#6", "#7"), shown);
  }
}
