package dev.parley.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reconnect and resume (protocol section 10) against the scripted fake server: the client comes
 * back by itself, signs in again, asks {@code C SEQ} and {@code C CH SINCE}, and shows every seq
 * exactly once in seq order, whatever mix of join history, resume answer and live messages brings
 * them.
 */
class ReconnectTest extends FakeServerFixture {
  private static final String NOW = ClientRun.NOW;
  private static final String LOST = "! connection lost - reconnecting in 1 s";

  /** A script that reconnects (as --reconnect does), 10 ms after the first loss. */
  private void startScript() throws Exception {
    client =
        ClientRun.session(
            server.port(),
            ClientRun.settings(
                server.port(), "bob", false, true, Main.QUIET_PERIOD, Main.SILENCE_LIMIT));
  }

  private static String pm(long seq, String text) {
    return "D PM " + seq + " 2026-11-21T10:00:0" + (seq % 10) + ".000Z alice " + text;
  }

  private static String shown(long seq, String text) {
    return "[10:00:0" + (seq % 10) + "] alice: " + text;
  }

  /** Signs bob in on a fresh connection, the history at sign-in being {@code history}. */
  private void signIn(String epoch, long lastSeq, String... history) throws Exception {
    server.accept();
    server.send("C HELLO parley/1 test server");
    server.expect("C NICK bob");
    List<String> lines = new ArrayList<>(List.of("C READY bob 2", "C HISTORY " + history.length));
    lines.addAll(List.of(history));
    server.send(lines.toArray(String[]::new));
    server.replyTo("C SEQ", "C SEQ " + epoch + " " + lastSeq);
  }

  private void loseConnection() throws Exception {
    server.closeConnection();
    server.expect(FakeServer.CLOSED);
  }

  private void leave(List<String> expected) throws Exception {
    client.endInput();
    server.expectExitAndSayBye();
    expected.add("* server closed the connection: bye");
    assertEquals(0, client.exitCode());
    assertEquals(expected, client.outLines());
  }

  @Test
  void resumesWithEachSeqShownOnceInOrderUnderAMarker() throws Exception {
    startScript();
    signIn("e1", 10, pm(10, "one"));
    server.send(pm(11, "two"));
    loseConnection();

    // The history at sign-in repeats 11 and brings 12; a live 15 overtakes the resume answer,
    // which repeats 12 and brings a DM (13) and 14.
    signIn("e1", 14, pm(11, "two"), pm(12, "three"));
    server.send(pm(15, "five"));
    server.replyTo(
        "C CH SINCE 11 1000",
        "C HISTORY 3",
        pm(12, "three"),
        "D DM 13 2026-11-21T10:00:03.000Z alice bob four",
        pm(14, "four and a half"));

    leave(
        new ArrayList<>(
            List.of(
                "Signed in as bob (2 users online)",
                "--- last 1 message ---",
                shown(10, "one"),
                shown(11, "two"),
                LOST,
                "* reconnected as bob",
                Resume.MISSED_MARKER,
                shown(12, "three"),
                "[10:00:03] (DM) alice -> you: four",
                shown(14, "four and a half"),
                shown(15, "five"))));
  }

  @Test
  void aFullResumePageIsFollowedByAskingAgainFromItsLastSeq() throws Exception {
    startScript();
    signIn("e1", 0);
    loseConnection();
    signIn("e1", 1001);
    server.expect("C CH SINCE 0 1000");
    List<String> page = new ArrayList<>(List.of("C HISTORY 1000"));
    for (int seq = 1; seq <= 1000; seq++) {
      page.add(pm(seq, "m" + seq));
    }
    server.send(page.toArray(String[]::new));
    server.replyTo("C CH SINCE 1000 1000", "C HISTORY 1", pm(1001, "last"));
    client.endInput();
    server.expectExitAndSayBye();

    assertEquals(0, client.exitCode());
    List<String> out = client.outLines();
    int marker = out.indexOf(Resume.MISSED_MARKER);
    assertEquals(shown(1, "m1"), out.get(marker + 1));
    assertEquals(shown(1001, "last"), out.get(marker + 1001));
    assertEquals(
        marker + 1003,
        out.size(),
        out.subList(out.size() - 3, out.size()).toString()); // 1001 messages, then the goodbye
  }

  /**
   * A hostile server's resume: each {@code C CH SINCE} is answered by {@code answer} (given the seq
   * asked from) until the client asks something else or has asked 50 times; returns how many times
   * it asked. The line typed before, "still here", must be what it sends next.
   */
  private int answerResumePages(java.util.function.LongFunction<List<String>> answer)
      throws Exception {
    int asked = 0;
    String line;
    while ((line = server.nextLine()).startsWith("C CH SINCE ") && asked < 50) {
      asked++;
      long since = Long.parseLong(line.split(" ")[3]);
      server.send(answer.apply(since).toArray(String[]::new));
    }
    assertEquals("C PM", line, "after " + asked + " pages");
    server.expect("D still here");
    return asked;
  }

  private static List<String> fullPage(long from) {
    List<String> page = new ArrayList<>(List.of("C HISTORY " + Resume.PAGE));
    for (long seq = from; seq < from + Resume.PAGE; seq++) {
      page.add(pm(seq, "m" + seq));
    }
    return page;
  }

  @Test
  void endlessFullResumePagesStopAtTheCapAndTheClientGoesOn() throws Exception {
    startScript();
    signIn("e1", 0);
    loseConnection();
    client.type("still here"); // goes out once the resume is over
    signIn("e1", 1_000_000_000);
    int asked = answerResumePages(since -> fullPage(since + 1));
    server.send("C PROMPT TEXT", "C SENT PM 1000000001 1");
    client.endInput();
    server.expectExitAndSayBye();

    assertEquals(0, client.exitCode());
    assertEquals(Resume.MAX_MISSED / Resume.PAGE, asked);
    List<String> out = client.outLines();
    int marker = out.indexOf(Resume.MISSED_MARKER);
    assertEquals(
        shown(Resume.MAX_MISSED, "m" + Resume.MAX_MISSED), out.get(marker + Resume.MAX_MISSED));
    assertEquals(
        List.of(
            Resume.capReached(), NOW + " bob: still here", "* server closed the connection: bye"),
        out.subList(marker + Resume.MAX_MISSED + 1, out.size()));
  }

  @Test
  void aResumePageAnsweredAgainIsNotAskedForAThirdTime() throws Exception {
    startScript();
    signIn("e1", 0);
    loseConnection();
    client.type("still here");
    signIn("e1", 2000);
    int asked = answerResumePages(since -> fullPage(1)); // the same page, whatever is asked
    server.send("C PROMPT TEXT", "C SENT PM 2001 1");
    client.endInput();
    server.expectExitAndSayBye();

    assertEquals(0, client.exitCode());
    assertEquals(2, asked, "since 0, then since the page's end, which brought nothing new");
    List<String> out = client.outLines();
    int marker = out.indexOf(Resume.MISSED_MARKER);
    assertEquals(
        List.of(Resume.NOT_MOVING, NOW + " bob: still here", "* server closed the connection: bye"),
        out.subList(marker + Resume.PAGE + 1, out.size()));
  }

  @Test
  void aFirstConnectionLostBeforeItsEpochWasKnownShowsEachMessageOnceAfterwards() throws Exception {
    startScript();
    server.accept();
    server.send("C HELLO parley/1 test server");
    server.replyTo("C NICK bob", "C READY bob 2", "C HISTORY 1", pm(10, "one"), pm(11, "two"));
    server.expect("C SEQ");
    loseConnection(); // before the answer: nothing may count as shown yet
    signIn("e1", 13, pm(12, "three"), pm(13, "four"));
    // What the lost connection brought fits this history: the gap after it is asked for.
    server.replyTo("C CH SINCE 11 1000", "C HISTORY 2", pm(12, "three"), pm(13, "four"));

    leave(
        new ArrayList<>(
            List.of(
                "Signed in as bob (2 users online)",
                "--- last 1 message ---",
                LOST,
                "* reconnected as bob",
                Resume.MISSED_MARKER,
                shown(10, "one"),
                shown(11, "two"),
                shown(12, "three"),
                shown(13, "four"))));
  }

  @Test
  void aDifferentEpochSaysHistoryWasResetAndShowsTheLatest() throws Exception {
    startScript();
    signIn("e1", 30, pm(30, "before the reset"));
    loseConnection();
    signIn("e2", 2, pm(1, "new one"), pm(2, "new two"));

    leave(
        new ArrayList<>(
            List.of(
                "Signed in as bob (2 users online)",
                "--- last 1 message ---",
                shown(30, "before the reset"),
                LOST,
                "* reconnected as bob",
                "! the server's history was reset; showing the latest messages - some may have"
                    + " been missed",
                shown(1, "new one"),
                shown(2, "new two"))));
  }

  @Test
  void aServerShuttingDownIsReconnectedToAndLinesTypedMeanwhileGoOut() throws Exception {
    startScript();
    signIn("e1", 0);
    server.send("C BYE server shutting down");
    loseConnection();
    client.type("hello again"); // while away: kept, sent once signed in again

    signIn("e1", 0);
    // What was typed meanwhile goes out once the gap is filled, so it comes after what was missed.
    server.replyTo("C CH SINCE 0 1000", "C HISTORY 0");
    server.expect("C PM", "D hello again");
    server.send("C PROMPT TEXT", "C SENT PM 1 1");

    leave(
        new ArrayList<>(
            List.of(
                "Signed in as bob (2 users online)",
                "--- no messages ---",
                "* server closed the connection: server shutting down",
                "! connection lost - reconnecting in 1 s",
                "* reconnected as bob",
                "* nothing was missed while away",
                NOW + " bob: hello again")));
  }

  @Test
  void aLineAPersonTypesWhileAwayIsShownAsQueuedThenAsSent() throws Exception {
    client =
        ClientRun.session(
            server.port(),
            ClientRun.settings(
                server.port(), "bob", true, true, Main.QUIET_PERIOD, Main.SILENCE_LIMIT));
    signIn("e1", 0);
    server.replyTo("C LIST", "C USERS 1 bob"); // a person's client asks, for completion
    loseConnection();
    await().atMost(Duration.ofSeconds(5)).until(() -> client.out().contains(LOST));
    client.type("hello again");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> client.out().contains("* queued until reconnected: hello again\n"));

    signIn("e1", 0);
    server.replyTo("C LIST", "C USERS 1 bob");
    server.replyTo("C CH SINCE 0 1000", "C HISTORY 0");
    server.expect("C PM", "D hello again");
    server.send("C PROMPT TEXT", "C SENT PM 1 1");
    await().atMost(Duration.ofSeconds(5)).until(() -> client.out().contains("bob: hello again"));
    client.endInput();
    server.expectExitAndSayBye();
    assertEquals(0, client.exitCode());
    List<String> out = client.outLines();
    assertEquals(
        List.of(
            LOST,
            "* queued until reconnected: hello again",
            "* reconnected as bob",
            "* nothing was missed while away",
            NOW + " bob: hello again"),
        out.subList(out.indexOf(LOST), out.size() - 1));
  }

  @Test
  void aNameStillHeldByTheLostConnectionIsTriedAgain() throws Exception {
    startScript();
    signIn("e1", 0);
    loseConnection();

    server.accept();
    server.send("C HELLO parley/1 test server");
    server.replyTo("C NICK bob", "C RETRY 409 name already in use");
    server.expect(FakeServer.CLOSED); // gives up this connection and tries again later
    signIn("e1", 0);
    server.replyTo("C CH SINCE 0 1000", "C HISTORY 0");
    client.endInput();
    server.expectExitAndSayBye();
    assertEquals(0, client.exitCode());
  }

  @Test
  void aReconnectThatBringsNoGreetingIsGivenUpAndTriedAgain() throws Exception {
    client =
        ClientRun.session(
            server.port(),
            ClientRun.greetingWithin(
                server.port(), true, Duration.ofMillis(100), Duration.ofSeconds(1)));
    signIn("e1", 0);
    loseConnection();
    server.accept(); // and says nothing
    server.expect(FakeServer.CLOSED);
    signIn("e1", 0);
    server.replyTo("C CH SINCE 0 1000", "C HISTORY 0");
    client.endInput();
    server.expectExitAndSayBye();
    assertEquals(0, client.exitCode());
    assertTrue(
        client
            .out()
            .contains(
                "! connection lost - reconnecting in 1 s (no greeting from the server within 1 s)\n"),
        client.out());
  }

  @Test
  void aServerSilentPastThePingCountsAsLostAndIsReconnectedTo() throws Exception {
    client =
        ClientRun.session(
            server.port(),
            ClientRun.settings(
                server.port(), "bob", false, true, Main.QUIET_PERIOD, Duration.ofMillis(400)));
    signIn("e1", 0);
    server.expect("C PING alive"); // at half the limit the client asks
    server.expect(FakeServer.CLOSED); // no answer by the limit: it gives the connection up
    signIn("e1", 0);
    server.replyTo("C CH SINCE 0 1000", "C HISTORY 0");
    client.endInput();
    server.expectExitAndSayBye();
    assertEquals(0, client.exitCode());
    String lost = client.outLines().get(2);
    assertTrue(
        lost.startsWith("! connection lost - reconnecting in 1 s (nothing from the server for "),
        lost);
  }

  @Test
  void aScriptWithoutReconnectExitsNonZeroOnALostConnection() throws Exception {
    client = ClientRun.main(java.util.Map.of(), "127.0.0.1", String.valueOf(server.port()), "bob");
    server.accept();
    server.send("C HELLO parley/1 test server");
    server.replyTo("C NICK bob", "C READY bob 1", "C HISTORY 0");
    server.closeConnection();
    assertEquals(1, client.exitCode());
    assertEquals(
        List.of(
            "Signed in as bob (1 user online)",
            "--- no messages ---",
            "* server closed the connection"),
        client.outLines());
  }
}
