package dev.parley.client;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientLine;
import java.util.List;

/**
 * Filling the gap a lost connection left (protocol section 10): the server history's identity
 * ({@code C SEQ} epoch) compared with the one before, then {@code C CH SINCE} pages from the last
 * seq shown until a page comes back short, each page shown as it completes, under {@link
 * #MISSED_MARKER} once. While the epoch is unknown or the gap unfilled the {@link Timeline} holds
 * whatever else arrives, to show it after the gap in seq order.
 *
 * <p>The server's answers are not taken on trust: a full page that brings no seq past the one asked
 * from ends the resume ({@link #NOT_MOVING}), and one resume takes at most {@link #MAX_MISSED}
 * messages ({@link #capReached}), so a server that always has another page can neither grow the
 * client without bound nor keep it asking. Loop thread only.
 */
final class Resume {
  /** What is shown before the messages a resume brought back. */
  static final String MISSED_MARKER = "--- missed while away ---";

  /** The most messages one {@code C CH SINCE} answer holds; a full answer means ask again. */
  static final int PAGE = ClientLine.ChatHistorySince.DEFAULT_COUNT;

  /** The most messages one resume brings back (ten pages); the rest of a longer gap is skipped. */
  static final int MAX_MISSED = 10 * PAGE;

  /** Shown when a full page brought nothing past the seq it was asked from. */
  static final String NOT_MOVING =
      "! the server's history answer was not moving forward; stopped asking for missed messages";

  /** Shown when a resume has brought {@link #MAX_MISSED} messages and the gap goes on. */
  static String capReached() {
    return "! "
        + MAX_MISSED
        + " missed messages shown; any later ones missed while away are skipped"
        + " (/history shows the latest)";
  }

  /** What the resume asks of the session. Loop thread only. */
  interface Requests {
    /** Send {@code C CH SINCE seq PAGE}, its answer owed to this resume. */
    void askSince(long seq, int count);

    /** The gap is filled: lines typed while away may go out now. */
    void resumed();
  }

  private final Timeline<ChatMessage> timeline;
  private final Transcript transcript;
  private final Requests requests;
  private String epoch; // the server history's identity, from C SEQ; null until known
  private boolean resuming; // signed in again after a lost connection, gap not yet filled
  private boolean signedIn; // reached C READY at least once
  private long unconfirmedUpTo = -1; // lost before the epoch was known: the highest seq seen, or -1
  private long askedFrom; // the seq the current C CH SINCE asked from
  private long pageLastSeq; // the last seq in the current C CH SINCE answer
  private int pageCount; // messages in the current C CH SINCE answer
  private int brought; // messages this resume's answers brought, counted against MAX_MISSED
  private boolean markerShown; // MISSED_MARKER is on screen for this resume

  Resume(Timeline<ChatMessage> timeline, Transcript transcript, Requests requests) {
    this.timeline = timeline;
    this.transcript = transcript;
    this.requests = requests;
  }

  /** Connected again after a lost connection: the next sign-in resumes. */
  void reconnected() {
    resuming = true;
    brought = 0;
    markerShown = false;
    if (epoch == null && signedIn && unconfirmedUpTo < 0) {
      unconfirmedUpTo = timeline.lastSeen();
    }
  }

  /** Whether a gap is still to be filled (from the reconnect until the last page is in). */
  boolean resuming() {
    return resuming;
  }

  /**
   * Signed in: nothing counts as shown until the epoch it belongs to is known; after a reconnect,
   * until the gap is filled. Whatever arrives meanwhile waits, to be sorted by seq.
   */
  void signedIn() {
    signedIn = true;
    timeline.hold();
  }

  /**
   * The answer to {@code C SEQ} ({@code answeredEpoch}, newest seq {@code lastSeq}): resume by seq
   * if the history is the same one, else start anew.
   */
  void onSeq(String answeredEpoch, long lastSeq) {
    if (!resuming) {
      epoch = answeredEpoch;
      transcript.messages(timeline.release());
      return;
    }
    if (epoch == null) {
      // The first connection was lost before its answer, with what it brought held unshown. If
      // it brought messages and their seqs fit this history (none past its newest), it is taken
      // to be the same one and the gap since them is asked for; a reset that has already counted
      // past them would be taken for the same too, which can cost messages not shown but never
      // shows one twice. Nothing brought: nothing to resume from (asking since 0 would replay
      // the whole history).
      epoch = answeredEpoch;
      if (unconfirmedUpTo > 0 && unconfirmedUpTo <= lastSeq) {
        askSince(unconfirmedUpTo);
      } else {
        finish(false);
      }
      return;
    }
    if (answeredEpoch.equals(epoch)) {
      askSince(timeline.lastShown());
      return;
    }
    epoch = answeredEpoch;
    transcript.error(
        "! the server's history was reset; showing the latest messages - some may have been"
            + " missed");
    timeline.reset();
    finish(false);
  }

  /** {@code C SEQ} was refused: a server without section 10. */
  void onSeqRefused() {
    if (!resuming) {
      transcript.messages(timeline.release()); // shown as it comes
    } else { // nothing to resume by
      transcript.error(
          "! this server cannot resume; showing the latest messages - some may have been missed");
      finish(false);
    }
  }

  /** A {@code C CH SINCE} answer begins. */
  void pageStarted() {
    pageCount = 0;
  }

  /** One message of a {@code C CH SINCE} answer; past {@link #MAX_MISSED} it is skipped. */
  void pageMessage(ChatMessage message) {
    pageCount++;
    if (brought >= MAX_MISSED) {
      return; // an answer longer than asked for
    }
    brought++;
    showMissed(timeline.add(message.seq(), message));
    pageLastSeq = Math.max(pageLastSeq, message.seq());
  }

  /**
   * The answer is complete: what it brought is shown, and a full page may have more behind it, so
   * ask again from its end unless it did not move forward or the resume has brought its most.
   */
  void pageAnswered() {
    showMissed(timeline.releaseThrough(pageLastSeq));
    if (pageCount < PAGE) {
      finish(true);
    } else if (pageLastSeq <= askedFrom) {
      transcript.error(NOT_MOVING);
      finish(true);
    } else if (brought >= MAX_MISSED) {
      transcript.error(capReached());
      finish(true);
    } else {
      askSince(pageLastSeq);
    }
  }

  /** The {@code C CH SINCE} was refused: what arrived is shown, the gap stays as it is. */
  void pageRefused() {
    finish(true);
  }

  private void askSince(long seq) {
    askedFrom = seq;
    pageLastSeq = seq;
    requests.askSince(seq, PAGE);
  }

  /** Messages of the gap, under the marker the first time there are any. */
  private void showMissed(List<ChatMessage> missed) {
    if (!missed.isEmpty() && !markerShown) {
      markerShown = true;
      transcript.status(MISSED_MARKER);
    }
    transcript.messages(missed);
  }

  private void finish(boolean sameHistory) {
    resuming = false;
    List<ChatMessage> rest = timeline.release();
    if (sameHistory) {
      if (rest.isEmpty() && !markerShown) {
        transcript.status("* nothing was missed while away");
      }
      showMissed(rest);
    } else {
      transcript.messages(rest);
    }
    requests.resumed(); // after the missed messages, so one's own reply comes after them
  }
}
