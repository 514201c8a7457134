package dev.parley.server.chat;

import dev.parley.net.EventLoop;
import dev.parley.net.Pause;
import dev.parley.net.Peer;

/**
 * The time rules of one connection: the sign-in deadline, the idle rule ({@code C PING} after
 * {@code idle} of silence, dropped after as much again), and the rate allowance, which pauses
 * reading while the client is over it. Says what is due; the session acts on it. Loop thread only.
 */
final class TimeLimits {
  /** What a deadline check found due. */
  enum Due {
    NOTHING,
    /** Silent for the idle time: send {@code C PING} (the wait for its answer has begun). */
    PING,
    SIGN_IN_TIMEOUT,
    PING_TIMEOUT
  }

  private final Peer connection; // paused while over the rate
  private final RateLimiter rate; // null when the rate allowance is off
  private EventLoop.Timer rateResume; // reading resumes when the allowance has refilled
  private final long connectedAt; // nanos
  private long lastLineAt; // nanos; when a line last arrived
  private long pingSentAt; // nanos; when we sent C PING and still wait for a line; 0 if not

  TimeLimits(Peer connection, RateLimiter rate, long connectedAt) {
    this.connection = connection;
    this.rate = rate;
    this.connectedAt = connectedAt;
    this.lastLineAt = connectedAt;
  }

  /** A line arrived: the client is alive, and it spends a token of its allowance. */
  void lineArrived(long now) {
    lastLineAt = now;
    pingSentAt = 0;
    if (rate != null) {
      rate.take(now);
      pauseWhileOverRate(now);
    }
  }

  /**
   * A client over its allowance is slowed down, not refused: reading stops until the bucket has a
   * token again, so the excess waits in the kernel's buffers and nothing is lost.
   */
  private void pauseWhileOverRate(long now) {
    if (rate.hasToken(now) || rateResume != null) {
      return;
    }
    connection.pause(Pause.RATE);
    rateResume =
        connection.schedule(
            rate.nanosUntilToken(now),
            () -> {
              rateResume = null;
              connection.resume(Pause.RATE);
            });
  }

  /**
   * What is due at {@code now}. Before sign-in only the sign-in deadline counts, less {@code
   * excusedNanos}; after it, the idle rule, off when {@code idleNanos} is not positive.
   */
  Due check(long now, long idleNanos, long signInNanos, boolean signedIn, long excusedNanos) {
    if (!signedIn) {
      return now - connectedAt - excusedNanos >= signInNanos ? Due.SIGN_IN_TIMEOUT : Due.NOTHING;
    }
    if (idleNanos <= 0) {
      return Due.NOTHING;
    }
    if (pingSentAt == 0) {
      if (now - lastLineAt >= idleNanos) {
        pingSentAt = now;
        return Due.PING;
      }
    } else if (now - pingSentAt >= idleNanos) {
      return Due.PING_TIMEOUT;
    }
    return Due.NOTHING;
  }

  /** The connection is gone: the rate's resume timer is not left behind. */
  void stop() {
    if (rateResume != null) {
      rateResume.cancel();
    }
  }
}
