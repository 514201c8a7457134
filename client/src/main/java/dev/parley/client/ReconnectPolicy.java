package dev.parley.client;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When a connection counts as lost and what follows: each way a connection ends leads to
 * reconnecting (after a {@link Backoff} wait), trying again, or ending the session; a server silent
 * for half the limit is pinged, and silent for the whole limit counts as lost (a live server
 * answers pings, so long silence means a connection TCP has not seen die). The waits start again
 * from the shortest only after a signed-in connection has held for a while (30 s): a server that
 * signs in and drops the connection each time meets ever longer waits. A person at a terminal
 * always reconnects; a script only with {@code --reconnect}. Decisions only: the session carries
 * them out. Loop thread only.
 */
final class ReconnectPolicy {
  /** The longest wait between reconnection attempts. */
  static final Duration MAX_RETRY = Duration.ofSeconds(30);

  /** Where the session was when its connection ended. */
  enum Stage {
    SIGNING_IN,
    READY,
    LEAVING,
    AWAY // waiting to reconnect, or a reconnect under way
  }

  /** What a closed connection leads to. */
  enum AfterClose {
    EXIT, // the session was leaving anyway: exit 0
    RECONNECT, // the connection was lost: say so, wait, reconnect
    TRY_AGAIN, // a reconnect failed: wait longer, reconnect
    EXIT_LOST, // lost, and no reconnecting: exit 1
    SIGN_IN_FAILED // never signed in: the server is not one to reconnect to, exit 1
  }

  /** What a check of the silence leads to. */
  enum Silence {
    FINE,
    PING, // half the limit: ask the server whether it is there
    LOST, // the whole limit: drop the connection and reconnect
    REPORT // the whole limit, and no reconnecting: tell the person, once
  }

  private final boolean reconnect;
  private final Duration silenceLimit;
  private final Duration steadyAfter;
  private final Backoff backoff;
  private final LongSupplier nanoTime;
  private long signedInAt; // nanoTime of the last sign-in
  private boolean signedInOnce;
  private boolean pinged; // pinged for this silence; the next line from the server clears it
  private boolean silenceReported; // told the person the server went silent

  /**
   * @param reconnect whether a lost connection is made again
   * @param silenceLimit how long without any line from the server before the connection is lost
   * @param steadyAfter how long a signed-in connection must hold for its loss to start the waits
   *     again
   * @param backoff the waits between attempts
   * @param nanoTime the clock a connection's life is measured on ({@link System#nanoTime})
   */
  ReconnectPolicy(
      boolean reconnect,
      Duration silenceLimit,
      Duration steadyAfter,
      Backoff backoff,
      LongSupplier nanoTime) {
    this.reconnect = reconnect;
    this.silenceLimit = silenceLimit;
    this.steadyAfter = steadyAfter;
    this.backoff = backoff;
    this.nanoTime = nanoTime;
  }

  /** Signed in: if this connection holds for a while, its loss starts the waits again. */
  void signedIn() {
    signedInOnce = true;
    signedInAt = nanoTime.getAsLong();
  }

  /** What follows when the connection ends in {@code stage}. */
  AfterClose afterClose(Stage stage) {
    return switch (stage) {
      case LEAVING -> AfterClose.EXIT;
      case AWAY -> AfterClose.TRY_AGAIN;
      case READY -> {
        if (nanoTime.getAsLong() - signedInAt >= steadyAfter.toNanos()) {
          backoff.reset();
        }
        yield reconnect ? AfterClose.RECONNECT : AfterClose.EXIT_LOST;
      }
      default -> {
        // A server that answered a sign-in once is worth waiting for; one that never did is not.
        yield signedInOnce && reconnect ? AfterClose.RECONNECT : AfterClose.SIGN_IN_FAILED;
      }
    };
  }

  /** The wait before the next reconnection attempt. */
  Duration nextWait() {
    return backoff.next();
  }

  /** How often the silence is checked. */
  Duration checkEvery() {
    return Duration.ofNanos(Math.max(1, silenceLimit.toNanos() / 8));
  }

  /** A line came from the server; true when the person was told it had gone silent. */
  boolean heard() {
    pinged = false;
    boolean wasReported = silenceReported;
    silenceReported = false;
    return wasReported;
  }

  /** What {@code silentNanos} without a line from a signed-in server means. */
  Silence check(long silentNanos) {
    if (silentNanos >= silenceLimit.toNanos()) {
      if (reconnect) {
        return Silence.LOST;
      }
      if (silenceReported) {
        return Silence.FINE;
      }
      silenceReported = true;
      return Silence.REPORT;
    }
    if (!pinged && silentNanos >= silenceLimit.toNanos() / 2) {
      pinged = true;
      return Silence.PING;
    }
    return Silence.FINE;
  }
}
