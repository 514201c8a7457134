package dev.parley.client;

import dev.parley.net.EventLoop;
import java.time.Duration;

/**
 * Waits for the server's greeting ({@code C HELLO}, protocol section 1: the first line on every
 * connection) so that a server that says nothing cannot keep the client waiting in silence. A TLS
 * port waits for the client to speak first, which a plain client never does: when the first plain
 * connection has had no greeting after a short while the person is told the port may be a TLS one,
 * and once the limit has passed the connection is given up (the session decides what follows). Loop
 * thread only.
 */
final class GreetingWatch {
  /** What a plain client is told when a connection brings no greeting. */
  static final String TLS_HINT = "is this a TLS port? try --tls";

  /** What the watch asks of the session. Loop thread only. */
  interface Session {
    /** Whether the current connection is still waiting for its greeting. */
    boolean awaitsGreeting();

    /** No greeting came within the limit; {@code why} is one line. */
    void noGreeting(String why);
  }

  private final ChatClient client;
  private final Transcript transcript;
  private final Session session;
  private final Duration hintAfter;
  private final Duration limit;
  private EventLoop.Timer hint;
  private EventLoop.Timer deadline;

  /**
   * @param hintAfter how long before a first plain connection says the port may be a TLS one
   * @param limit how long before the connection is given up
   */
  GreetingWatch(
      ChatClient client,
      Transcript transcript,
      Session session,
      Duration hintAfter,
      Duration limit) {
    this.client = client;
    this.transcript = transcript;
    this.session = session;
    this.hintAfter = hintAfter;
    this.limit = limit;
  }

  /**
   * A connection is open: watch it for its greeting. {@code mayBeTls}: a plain connection to a
   * server never signed in to, where a TLS port is a likely mistake.
   */
  void connected(boolean mayBeTls) {
    stop();
    if (mayBeTls) {
      hint =
          client.schedule(
              hintAfter,
              () -> {
                if (session.awaitsGreeting()) {
                  transcript.status("* no greeting from the server yet - " + TLS_HINT);
                }
              });
    }
    deadline =
        client.schedule(
            limit,
            () -> {
              if (session.awaitsGreeting()) {
                session.noGreeting(
                    "no greeting from the server within "
                        + Math.max(1, limit.toSeconds())
                        + " s"
                        + (mayBeTls ? " - " + TLS_HINT : ""));
              }
            });
  }

  /** Nothing more to watch: the greeting came, or the session is over. */
  void stop() {
    if (hint != null) {
      hint.cancel();
      hint = null;
    }
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
    }
  }
}
