package dev.parley.server.classroom;

import dev.parley.net.ByteHandler;
import dev.parley.net.Pause;
import dev.parley.net.PromptPeer;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * One classroom client: frames what it sends into messages (line end or quiet period) and hands
 * them to its pair. Waits unseated, reading nothing, until a pair takes it. Loop thread only.
 *
 * <p>Reading is up to the pair, which pauses and resumes the peer: nothing before a pair seats it;
 * X's connection alone while Y is awaited (to see it hang up; its bytes are not taken yet); one
 * message each until the acknowledgment; then, with relay, everything while the other client keeps
 * up. What the pair does not take stays in the kernel's buffers, or in the connection's stash when
 * it was read along with an accepted message or while X was watched.
 */
final class Participant implements ByteHandler {
  private final PromptPeer peer;
  private final MessageFramer framer;
  private final Scheduler scheduler;
  private final long quietPeriodNanos;
  private final Consumer<Participant> leftUnseated; // told when a client closes while it waits
  private ClassroomPair pair; // null while waiting for a pair
  private Label label; // null while waiting for a pair
  private Runnable cancelQuietTimer; // ends the pending bytes as a message when it fires; or null

  Participant(
      PromptPeer peer,
      MessageFramer framer,
      Scheduler scheduler,
      long quietPeriodNanos,
      Consumer<Participant> leftUnseated) {
    this.peer = peer;
    peer.pause(Pause.NOT_ITS_TURN); // until a pair seats it and wants its bytes
    this.framer = framer;
    this.scheduler = scheduler;
    this.quietPeriodNanos = quietPeriodNanos;
    this.leftUnseated = leftUnseated;
  }

  void seat(ClassroomPair pair, Label label) {
    this.pair = pair;
    this.label = label;
  }

  /** Its pair let it go (it hung up before it had a partner): it belongs to no pair any more. */
  void unseat() {
    this.pair = null;
    this.label = null;
  }

  Label label() {
    return label;
  }

  PromptPeer peer() {
    return peer;
  }

  // ---- ConnectionHandler ----

  /**
   * Frames messages while the pair accepts them. A message's first bytes take its arrival ticket
   * here, in the same call that read them, so two clients read in one select iteration are ordered
   * by which was read first. Bytes of an unfinished message (re)start the quiet period.
   */
  @Override
  public void onBytes(ByteBuffer bytes) {
    while (bytes.hasRemaining() && !peer.isPaused() && pair != null && pair.acceptsFrom(this)) {
      boolean idle = !framer.hasPartial();
      String message = framer.next(bytes);
      if (idle && (message != null || framer.hasPartial())) {
        pair.messageStarted(this);
      }
      if (message != null) {
        pair.messageReceived(this, message);
      }
    }
    restartQuietPeriod();
  }

  /**
   * The client sends nothing more (it may still read, as {@code printf ... | nc -N} does). Bytes of
   * an unfinished message are a message now: the end of the stream ends it as well as a quiet
   * period would.
   */
  @Override
  public void onEndOfInput() {
    stopQuietPeriod();
    String last = framer.endByQuietPeriod();
    if (pair == null) {
      peer.closeAfterFlush("input ended while waiting for a pair");
      return;
    }
    if (last != null) {
      pair.messageReceived(this, last);
    }
    pair.inputEnded(this);
  }

  /** This client's queue drained: a peer that waited for it to catch up may send again. */
  @Override
  public void onWritable() {
    if (pair != null) {
      pair.caughtUp(this);
    }
  }

  @Override
  public void onClose(String reason) {
    stopQuietPeriod();
    if (pair != null) {
      pair.disconnected(this);
    } else {
      leftUnseated.accept(this);
    }
  }

  private void restartQuietPeriod() {
    stopQuietPeriod();
    if (framer.hasPartial()) {
      cancelQuietTimer = scheduler.schedule(quietPeriodNanos, this::quietPeriodPassed);
    }
  }

  private void stopQuietPeriod() {
    if (cancelQuietTimer != null) {
      cancelQuietTimer.run();
      cancelQuietTimer = null;
    }
  }

  /** No bytes came for the quiet period: what arrived is one message (a client with no LF). */
  void quietPeriodPassed() {
    cancelQuietTimer = null;
    String message = framer.endByQuietPeriod();
    if (message != null && pair != null) {
      pair.messageReceived(this, message);
    }
  }
}
