package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumeTest {
  private final RecordingScreen screen = new RecordingScreen();
  private final Timeline<ChatMessage> timeline = new Timeline<>(m -> m.text().length());
  private final List<Long> askedSince = new ArrayList<>();
  private int resumed;
  private final Resume resume =
      new Resume(
          timeline,
          screen.transcript(),
          new Resume.Requests() {
            @Override
            public void askSince(long seq, int count) {
              assertEquals(Resume.PAGE, count);
              askedSince.add(seq);
            }

            @Override
            public void resumed() {
              resumed++;
            }
          });

  private static ChatMessage message(long seq) {
    return ChatMessage.publicMessage(seq, ClientRun.CLOCK.millis(), "ann", "m" + seq);
  }

  /** Signed in on the first connection with epoch e1 and messages 1..{@code last} shown. */
  private void firstSignIn(long last) {
    resume.signedIn();
    for (long seq = 1; seq <= last; seq++) {
      timeline.add(seq, message(seq));
    }
    resume.onSeq("e1", last);
    screen.shown.clear();
  }

  private void reconnectAndSignIn() {
    resume.reconnected();
    resume.signedIn();
  }

  private void page(long from, int count) {
    resume.pageStarted();
    for (long seq = from; seq < from + count; seq++) {
      resume.pageMessage(message(seq));
    }
    resume.pageAnswered();
  }

  private List<String> shownTexts() {
    return screen.shown.stream().map(s -> s.replaceAll("^\\S+ \\S+ ", "")).toList();
  }

  @Test
  void theFirstEpochReleasesWhatWasHeldWithoutAMarker() {
    firstSignIn(2);
    assertFalse(resume.resuming());
    assertTrue(askedSince.isEmpty());
    assertEquals(0, resumed);
  }

  @Test
  void theSameEpochAsksFromTheLastSeqShownAndAShortPageEndsTheResumeUnderTheMarker() {
    firstSignIn(5);
    reconnectAndSignIn();
    resume.onSeq("e1", 7);
    assertEquals(List.of(5L), askedSince);
    page(6, 2);
    assertFalse(resume.resuming());
    assertEquals(1, resumed);
    assertEquals(Resume.MISSED_MARKER, screen.shown.get(0));
    assertEquals(3, screen.shown.size(), screen.shown.toString());
  }

  @Test
  void aFullPageIsShownAndFollowedByAskingAgainFromItsLastSeq() {
    firstSignIn(5);
    reconnectAndSignIn();
    resume.onSeq("e1", 5 + 2 * Resume.PAGE);
    page(6, Resume.PAGE);
    assertEquals(List.of(5L, 5L + Resume.PAGE), askedSince, "k = n: there may be more");
    assertTrue(resume.resuming());
    assertEquals(0, resumed);
    assertEquals(1 + Resume.PAGE, screen.shown.size(), "the marker, and the page as it came");
    timeline.add(5 + 2 * Resume.PAGE + 1, message(5 + 2 * Resume.PAGE + 1)); // live, past the gap
    page(6 + Resume.PAGE, Resume.PAGE - 1);
    assertEquals(2, askedSince.size(), "k < n: the gap is filled");
    assertEquals(1, resumed);
    assertEquals(1 + 2 * Resume.PAGE, screen.shown.size());
    assertEquals("m" + (5 + 2 * Resume.PAGE + 1), shownTexts().get(2 * Resume.PAGE));
  }

  @Test
  void aFullPageThatDoesNotMoveForwardEndsTheResumeWithOneLine() {
    firstSignIn(5);
    reconnectAndSignIn();
    resume.onSeq("e1", 5 + 2 * Resume.PAGE);
    page(6, Resume.PAGE);
    page(6, Resume.PAGE); // the same page again: asking again would bring it again, forever
    assertEquals(List.of(5L, 5L + Resume.PAGE), askedSince);
    assertFalse(resume.resuming());
    assertEquals(1, resumed);
    assertEquals(1 + Resume.PAGE + 1, screen.shown.size());
    assertEquals(Resume.NOT_MOVING, screen.shown.get(screen.shown.size() - 1));
  }

  @Test
  void endlessFullPagesStopAtTheCapWithOneLineHoldingNoMoreThanAPage() {
    firstSignIn(5);
    reconnectAndSignIn();
    resume.onSeq("e1", Long.MAX_VALUE / 2);
    int answered = 0;
    int mostHeld = 0;
    // A server that always has another full page: answered up to 100 times, then the test ends.
    while (askedSince.size() > answered && answered < 100) {
      long since = askedSince.get(answered++);
      resume.pageStarted();
      for (long seq = since + 1; seq <= since + Resume.PAGE; seq++) {
        resume.pageMessage(message(seq));
        mostHeld = Math.max(mostHeld, timeline.heldCount());
      }
      resume.pageAnswered();
    }
    assertEquals(Resume.MAX_MISSED / Resume.PAGE, askedSince.size());
    assertTrue(mostHeld <= Resume.PAGE, "held at most one page at a time: " + mostHeld);
    assertFalse(resume.resuming());
    assertEquals(1, resumed);
    assertEquals(1 + Resume.MAX_MISSED + 1, screen.shown.size());
    assertEquals(Resume.capReached(), screen.shown.get(screen.shown.size() - 1));
  }

  @Test
  void anEmptyPageSaysNothingWasMissed() {
    firstSignIn(3);
    reconnectAndSignIn();
    resume.onSeq("e1", 3);
    page(4, 0);
    assertEquals(List.of("* nothing was missed while away"), screen.shown);
    assertEquals(1, resumed);
  }

  @Test
  void anotherEpochSaysTheHistoryWasResetAndAsksForNothing() {
    firstSignIn(3);
    reconnectAndSignIn();
    timeline.add(7, message(7)); // arrived while the epoch was unknown: held
    resume.onSeq("e2", 1);
    assertTrue(askedSince.isEmpty());
    assertTrue(screen.shown.get(0).contains("history was reset"), screen.shown.toString());
    assertEquals(2, screen.shown.size(), "the held message is shown: " + screen.shown);
    assertEquals(1, resumed);
    assertEquals(1, timeline.add(1, message(1)).size(), "the old seqs are forgotten");
  }

  @Test
  void aFirstConnectionLostBeforeItsEpochAsksForTheGapSinceWhatItBrought() {
    resume.signedIn();
    timeline.add(1, message(1)); // the first connection's join history, held: epoch unknown
    timeline.add(2, message(2));
    reconnectAndSignIn();
    timeline.add(5, message(5)); // the second connection's join history
    resume.onSeq("e1", 5);
    assertEquals(List.of(2L), askedSince, "the gap after what the lost connection brought");
    page(3, 3);
    assertEquals(Resume.MISSED_MARKER, screen.shown.get(0));
    assertEquals(
        List.of("m1", "m2", "m3", "m4", "m5"),
        shownTexts().subList(1, screen.shown.size()),
        "each seq once, in order");
    assertEquals(1, resumed);
  }

  @Test
  void aFirstConnectionLostBeforeItsEpochDoesNotResumeFromSeqsThisHistoryHasNotReached() {
    resume.signedIn();
    timeline.add(9, message(9)); // past the answered history's newest: not the same history
    reconnectAndSignIn();
    timeline.add(1, message(1));
    resume.onSeq("e1", 1);
    assertTrue(askedSince.isEmpty());
    assertEquals(1, resumed);
  }

  @Test
  void aFirstConnectionLostBeforeItBroughtAnythingResumesWithoutAskingOrAMarker() {
    resume.signedIn();
    reconnectAndSignIn();
    timeline.add(1, message(1));
    resume.onSeq("e1", 1);
    assertTrue(askedSince.isEmpty(), "asking since 0 would replay the whole history");
    assertEquals(1, screen.shown.size(), screen.shown.toString());
    assertEquals(1, resumed);
  }

  @Test
  void aServerWithoutSeqIsSaidToBeUnableToResume() {
    firstSignIn(1);
    reconnectAndSignIn();
    resume.onSeqRefused();
    assertTrue(screen.shown.get(0).contains("cannot resume"), screen.shown.toString());
    assertFalse(resume.resuming());
    assertEquals(1, resumed);
  }
}
