package dev.parley.client;

import dev.parley.net.EventLoop;
import java.time.Duration;

/**
 * Carries out the {@link ReconnectPolicy} on the client's loop: keeps the time the server was last
 * heard, pings a signed-in server that has gone quiet and drops one that stays silent, and after a
 * lost connection says so, waits the backoff and reconnects. Loop thread only.
 */
final class Reconnector {
  /** What the reconnector asks of the session. Loop thread only. */
  interface Session {
    /** Whether the session waits for a connection (a reconnect is still wanted). */
    boolean away();

    /** Whether the session is signed in and not leaving: silence is watched only then. */
    boolean watching();

    /** Ask the server whether it is there, without showing its answer. */
    void ping();
  }

  private final ChatClient client;
  private final ReconnectPolicy policy;
  private final Transcript transcript;
  private final Session session;
  private long lastHeardNanos; // when the server last sent anything, on the loop's clock
  private EventLoop.Timer silenceTimer;
  private boolean stopped;

  Reconnector(ChatClient client, ReconnectPolicy policy, Transcript transcript, Session session) {
    this.client = client;
    this.lastHeardNanos = client.now();
    this.policy = policy;
    this.transcript = transcript;
    this.session = session;
  }

  /** A line came from the server. */
  void heard() {
    lastHeardNanos = client.now();
    if (policy.heard()) {
      transcript.status("* the server is answering again");
    }
  }

  /** Counts the silence from now: something arrived, or a new wait begins. */
  void restartClock() {
    lastHeardNanos = client.now();
  }

  /**
   * When the server last sent anything (or a wait last began), on the loop's clock ({@link
   * ChatClient#now}).
   */
  long lastHeardNanos() {
    return lastHeardNanos;
  }

  /** Lost while it was wanted: say so, wait, reconnect. */
  void reconnectLater(String cause) {
    Duration wait = policy.nextWait();
    transcript.error(
        "! connection lost - reconnecting in "
            + seconds(wait)
            + " s"
            + (cause == null ? "" : " (" + Display.neutralise(cause) + ")"));
    client.schedule(wait, this::reconnectNow);
  }

  /** A reconnect failed: say so, wait longer, try again. */
  void tryAgainLater(String cause) {
    Duration wait = policy.nextWait();
    transcript.error(
        "! cannot reconnect ("
            + Display.neutralise(cause == null ? "the server closed the connection" : cause)
            + ") - trying again in "
            + seconds(wait)
            + " s");
    client.schedule(wait, this::reconnectNow);
  }

  /** Lost for good: one line on why, unless the server's own goodbye already said it. */
  void reportLost(String cause, boolean byeShown) {
    if (cause != null) {
      transcript.error(Display.neutralise("! connection lost: " + cause));
    } else if (!byeShown) {
      transcript.status("* server closed the connection");
    }
  }

  /**
   * Keeps watch on the connection from now on: after half the silence limit with nothing from the
   * server it pings; after the whole limit the connection counts as lost.
   */
  void watchForSilence() {
    silenceTimer =
        client.schedule(
            policy.checkEvery(),
            () -> {
              if (session.watching()) {
                checkSilence(client.now() - lastHeardNanos);
              }
              if (!stopped) {
                watchForSilence();
              }
            });
  }

  /** The session is over: no more watching or reconnecting. */
  void stop() {
    stopped = true;
    if (silenceTimer != null) {
      silenceTimer.cancel();
    }
  }

  private void checkSilence(long silentNanos) {
    switch (policy.check(silentNanos)) {
      case PING -> session.ping();
      case LOST -> client.drop(silence(silentNanos));
      case REPORT -> transcript.error("! " + silence(silentNanos) + "; the connection may be lost");
      case FINE -> {}
    }
  }

  private void reconnectNow() {
    if (session.away()) {
      client.reconnect(ChatClient.CONNECT_TIMEOUT);
    }
  }

  private static String silence(long silentNanos) {
    return "nothing from the server for " + Duration.ofNanos(silentNanos).toSeconds() + " s";
  }

  private static long seconds(Duration wait) {
    return Math.max(1, (wait.toMillis() + 999) / 1000);
  }
}
