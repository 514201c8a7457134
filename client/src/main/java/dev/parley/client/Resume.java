package dev.parley.client;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientLine;
import java.util.List;

/**
 * Filling the gap a lost connection left (protocol section 10): the server history's identity
 * ({@code C SEQ} epoch) compared with the one before, then {@code C CH SINCE} pages from the last
 * seq shown until a page comes back short, then what was missed shown once, in seq order, under
 * {@link #MISSED_MARKER}. While the epoch is unknown or the gap unfilled the {@link Timeline} holds
 * whatever arrives. Loop thread only.
 */
final class Resume {
  /** What is shown before the messages a resume brought back. */
  static final String MISSED_MARKER = "--- missed while away ---";

  /** The most messages one {@code C CH SINCE} answer holds; a full answer means ask again. */
  static final int PAGE = ClientLine.ChatHistorySince.DEFAULT_COUNT;

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
  private long pageLastSeq; // the last seq in the current C CH SINCE answer
  private int pageCount; // messages in the current C CH SINCE answer

  Resume(Timeline<ChatMessage> timeline, Transcript transcript, Requests requests) {
    this.timeline = timeline;
    this.transcript = transcript;
    this.requests = requests;
  }

  /** Connected again after a lost connection: the next sign-in resumes. */
  void reconnected() {
    resuming = true;
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

  /** One message of a {@code C CH SINCE} answer. */
  void pageMessage(ChatMessage message) {
    transcript.messages(timeline.add(message.seq(), message));
    pageLastSeq = Math.max(pageLastSeq, message.seq());
    pageCount++;
  }

  /** The answer is complete: a full page may have more behind it, so ask again from its end. */
  void pageAnswered() {
    if (pageCount >= PAGE) {
      askSince(pageLastSeq);
    } else {
      finish(true);
    }
  }

  /** The {@code C CH SINCE} was refused: what arrived is shown, the gap stays as it is. */
  void pageRefused() {
    finish(true);
  }

  private void askSince(long seq) {
    pageLastSeq = seq;
    requests.askSince(seq, PAGE);
  }

  private void finish(boolean sameHistory) {
    resuming = false;
    List<ChatMessage> missed = timeline.release();
    if (sameHistory) {
      transcript.status(missed.isEmpty() ? "* nothing was missed while away" : MISSED_MARKER);
    }
    transcript.messages(missed);
    requests.resumed(); // after the missed messages, so one's own reply comes after them
  }
}
