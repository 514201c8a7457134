package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/**
 * A client used the way {@code printf ... | nc -N} uses the server: all its lines in one write,
 * then end of input. Shared by the store-specific test classes, because what such a client must get
 * back does not depend on where the messages are stored.
 */
final class NetcatScenario {
  private NetcatScenario() {}

  /**
   * With alice signed in, nc signs in, sends a message and {@code C LIST} and half-closes: it gets
   * every reply, then {@code C BYE end of input} and the close, and alice sees it join, speak and
   * leave.
   */
  static void halfClosesAfterItsLinesAndGetsEveryReply(ServerUnderTest server) throws Exception {
    LineClient alice = server.signIn("alice");
    LineClient nc = server.connect("nc");
    nc.send("C NICK nc", "C PM", "D from netcat", "C LIST");
    nc.shutdownOutput();

    List<String> transcript = new ArrayList<>();
    nc.expectClosedAfter(transcript);
    assertEquals(7, transcript.size(), "transcript: " + transcript);
    assertTrue(transcript.get(0).startsWith("C HELLO parley/1 "), transcript.get(0));
    assertEquals(
        List.of(
            "C READY nc 2",
            "C HISTORY 0",
            "C PROMPT TEXT",
            "C SENT PM 1 1",
            "C USERS 2 alice nc",
            "C BYE end of input"),
        transcript.subList(1, 7));

    alice.expect("C JOIN nc");
    assertEquals("from netcat", Delivered.pm(alice.next()).text());
    alice.expect("C LEAVE nc connection closed");
    server.awaitOpenConnections(1);
  }
}
