package dev.parley.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The client against a scripted fake server on 127.0.0.1 (the real server's end-to-end tests live
 * elsewhere). Each test plays the server's side line by line and checks the client's exact output.
 */
class ChatClientTest extends FakeServerFixture {
  /** What the client shows first after {@code signIn("bob", 1)}: sign-in, no history. */
  private static final List<String> SIGNED_IN_ALONE =
      List.of("Signed in as bob (1 user online)", "--- no messages ---");

  /** The same after {@code signIn("bob", 2)}. */
  private static final List<String> SIGNED_IN_WITH_ANOTHER =
      List.of("Signed in as bob (2 users online)", "--- no messages ---");

  private static final String NOW = ClientRun.NOW;

  private static final String BYE_SHOWN = "* server closed the connection: bye";

  private ClientRun startClient(String name) throws Exception {
    return ClientRun.main(Map.of(), "127.0.0.1", String.valueOf(server.port()), name);
  }

  private SessionSettings settings(boolean interactive, Duration quietPeriod) throws Exception {
    return settings(interactive, interactive, quietPeriod, Main.SILENCE_LIMIT);
  }

  /** Settings for bob, reconnecting after 10 ms at first if {@code reconnect}. */
  private SessionSettings settings(
      boolean interactive, boolean reconnect, Duration quietPeriod, Duration silenceLimit)
      throws Exception {
    return ClientRun.settings(
        server.port(), "bob", interactive, reconnect, quietPeriod, silenceLimit);
  }

  /** Accepts the client, greets it and expects it to ask for {@code name}. */
  private void greetAndExpectNick(String name) throws Exception {
    server.accept();
    server.send("C HELLO parley/1 test server");
    server.expect("C NICK " + name);
  }

  /** Greets the client, expects its C NICK and lets it in, with an empty history. */
  private void signIn(String name, int usersOnline) throws Exception {
    greetAndExpectNick(name);
    server.send("C READY " + name + " " + usersOnline, "C HISTORY 0");
  }

  /** Starts the client as bob and signs it in with {@code usersOnline} online. */
  private void startSignedIn(int usersOnline) throws Exception {
    client = startClient("bob");
    signIn("bob", usersOnline);
  }

  /**
   * Runs {@code run} in script mode with {@code lines} as its whole input, read before it signs in
   * as bob, alone.
   */
  private void startScript(ClientRun run, String... lines) throws Exception {
    client = run;
    client.type(lines);
    client.endInput();
    signIn("bob", 1);
  }

  /** Asserts the client's exit code and all it showed. */
  private void assertExit(int code, String... shown) throws Exception {
    assertExit(code, List.of(), shown);
  }

  /** Asserts the client's exit code and all it showed: {@code first}, then {@code then}. */
  private void assertExit(int code, List<String> first, String... then) throws Exception {
    assertEquals(code, client.exitCode());
    List<String> shown = new ArrayList<>(first);
    shown.addAll(List.of(then));
    assertEquals(shown, client.outLines());
  }

  @Test
  void signsInSendsAPublicMessageShowsOthersAndAnswersPing() throws Exception {
    client = startClient("bob");
    greetAndExpectNick("bob");
    server.send("C READY bob 2", "C HISTORY 1", "D PM 11 2026-11-21T10:15:29.000Z alice earlier");

    client.type("C PM", "D hello");
    server.replyTo("C PM", "C PROMPT TEXT");
    server.replyTo("D hello", "C SENT PM 12 1");
    server.send("D PM 13 2026-11-21T10:15:30.123Z alice hi bob", "C PING t1");
    server.expect("C PONG t1");

    client.endInput();
    server.expectExitAndSayBye();

    assertExit(
        0,
        "Signed in as bob (2 users online)",
        "--- last 1 message ---",
        "[10:15:29] alice: earlier",
        NOW + " bob: hello",
        "[10:15:30] alice: hi bob",
        BYE_SHOWN);
    assertEquals("", client.err());
  }

  @Test
  void directMessageRoundTripShowsTheListAndTheConfirmation() throws Exception {
    startSignedIn(2);
    client.type("C DM", "C alice", "D psst");
    server.replyTo("C DM", "C USERS 2 alice bob", "C PROMPT RECIPIENT");
    server.replyTo("C alice", "C PROMPT TEXT");
    server.replyTo(
        "D psst", "C SENT DM 7 alice", "D DM 8 2026-11-21T10:15:31.000Z alice bob back at you");
    client.endInput();
    server.expectExitAndSayBye();

    assertExit(
        0,
        SIGNED_IN_WITH_ANOTHER,
        "Online (2): alice bob",
        NOW + " (DM) you -> alice: psst",
        "[10:15:31] (DM) alice -> you: back at you",
        BYE_SHOWN);
  }

  @Test
  void scriptWaitsForTheConfirmationItIsOwedBeforeLeaving() throws Exception {
    // The whole script is read, likely before sign-in is done.
    startScript(startClient("bob"), "C PM", "D hello");
    server.replyTo("C PM", "C PROMPT TEXT");
    server.expect("D hello");

    // C SENT is still owed: the client must not say C EX yet.
    server.expectQuiet();
    server.send("C SENT PM 5 0");
    server.expectExitAndSayBye();

    assertExit(0, SIGNED_IN_ALONE, NOW + " bob: hello", BYE_SHOWN);
  }

  @Test
  void scriptWaitsForEveryHistoryLineItAskedFor() throws Exception {
    startScript(startClient("bob"), "C CH 2");
    server.replyTo("C CH 2", "C HISTORY 2", "D PM 1 2026-11-21T09:00:00.000Z alice one");
    server.expectQuiet();
    server.send("D DM 2 2026-11-21T09:00:01.000Z bob alice two");
    server.expectExitAndSayBye();

    assertExit(
        0,
        SIGNED_IN_ALONE,
        "--- last 2 messages ---",
        "[09:00:00] alice: one",
        "[09:00:01] (DM) you -> alice: two",
        BYE_SHOWN);
  }

  @Test
  void scriptLeavesAfterAQuietPeriodWhenRepliesNeverCome() throws Exception {
    startScript(
        ClientRun.session(server.port(), settings(false, Duration.ofMillis(200))),
        "C PM",
        "D into the void");
    server.expect("C PM", "D into the void");
    server.expect("C EX"); // no PROMPT, no SENT: the quiet period bounds the wait
    // No BYE either: after another quiet period the client closes on its own.
    server.expect(FakeServer.CLOSED);
    assertExit(0, SIGNED_IN_ALONE);
  }

  @Test
  void theQuietPeriodIsMeasuredOnTheLoopsClock() throws Exception {
    // An hour's quiet period (and half a minute's drain) on a clock that runs a minute ahead every
    // few milliseconds once signed in: the client leaves within the test's 10 s only because its
    // departure timers read the loop's clock (with real time it would wait at least the drain).
    try (FastClock clock = new FastClock(Duration.ofMinutes(1))) {
      startScript(
          ClientRun.session(
              server.port(),
              settings(false, false, Duration.ofHours(1), Duration.ofDays(1)),
              clock),
          "C PM",
          "D into the void");
      clock.start();
      server.expect("C PM", "D into the void");
      server.expect("C EX");
      server.expect(FakeServer.CLOSED);
      assertExit(0, SIGNED_IN_ALONE);
    }
  }

  @Test
  void theExitAfterAQuietPeriodGoesOutAtOnceAndTheGoodbyeIsShown() throws Exception {
    startScript(
        ClientRun.session(server.port(), settings(false, Duration.ofMillis(200))),
        "C PM",
        "D into the void");
    server.expect("C PM", "D into the void");
    // The C EX is sent from a timer; it must not wait for the next timer to be written, or the
    // client gives up on the goodbye before the server can send it.
    server.expectExitAndSayBye();
    assertExit(0, SIGNED_IN_ALONE, BYE_SHOWN);
  }

  @Test
  void explanationsForRefusedLinesAppearInScriptOrderAndTheExitSaysSo() throws Exception {
    startScript(startClient("bob"), "C LIST", "/nope", "C PING p");
    server.expect("C LIST");
    server.expect("C PING p"); // "/nope" is not sent
    server.send("C USERS 1 bob", "C PONG p");
    server.expectExitAndSayBye();

    assertExit(
        1,
        SIGNED_IN_ALONE,
        "Online (1): bob",
        "! not sent: unknown command /nope - /help lists the commands",
        "* pong p",
        BYE_SHOWN);
    assertEquals("1 line was not accepted\n", client.err());
  }

  @Test
  void serverErrorsAreShownTheScriptGoesOnAndTheExitIsNonZero() throws Exception {
    startScript(startClient("bob"), "D nobody asked", "C LIST");
    server.replyTo("D nobody asked", "C ERR 412 no message pending");
    server.replyTo("C LIST", "C USERS 1 bob");
    server.expectExitAndSayBye();

    assertExit(1, SIGNED_IN_ALONE, "! error 412: no message pending", "Online (1): bob", BYE_SHOWN);
    assertEquals("1 line was not accepted\n", client.err());
  }

  @Test
  void plainTextIsAPublicMessageShownUnderMyNameOnceConfirmed() throws Exception {
    startScript(startClient("bob"), "hello all", "c u later");
    server.expect("C PM", "D hello all", "C PM", "D c u later");
    server.send("C PROMPT TEXT", "C SENT PM 5 1");
    server.expectQuiet(); // the second message is still owed its confirmation
    server.send("D PM 6 2026-11-21T10:00:00.000Z alice hi", "C PROMPT TEXT", "C SENT PM 7 1");
    server.expectExitAndSayBye();

    assertExit(
        0,
        SIGNED_IN_ALONE,
        NOW + " bob: hello all",
        "[10:00:00] alice: hi",
        NOW + " bob: c u later",
        BYE_SHOWN);
  }

  @Test
  void chatCommandsSendTheirProtocolLines() throws Exception {
    startScript(startClient("bob"), "/msg alice psst", "/who", "/history 2", "//slash", "/help");
    server.expect("C DM", "C alice", "D psst", "C LIST", "C CH 2", "C PM", "D /slash");
    server.send(
        "C USERS 2 alice bob",
        "C PROMPT RECIPIENT",
        "C PROMPT TEXT",
        "C SENT DM 8 alice",
        "C USERS 2 alice bob",
        "C HISTORY 1",
        "D PM 3 2026-11-21T09:00:00.000Z alice old",
        "C PROMPT TEXT",
        "C SENT PM 9 1");
    server.expectExitAndSayBye();

    List<String> shown = new ArrayList<>(SIGNED_IN_ALONE);
    shown.add(NOW + " (DM) you -> alice: psst");
    shown.add("Online (2): alice bob");
    shown.add("--- last 1 message ---");
    shown.add("[09:00:00] alice: old");
    shown.add(NOW + " bob: /slash");
    shown.addAll(InputTranslator.HELP.lines().toList());
    shown.add(BYE_SHOWN);
    assertEquals(0, client.exitCode());
    assertEquals(shown, client.outLines());
  }

  @Test
  void aDirectMessageToSomeoneOfflineIsOneErrorNotTwo() throws Exception {
    startScript(startClient("bob"), "/msg zed hi");
    server.expect("C DM", "C zed", "D hi");
    server.send(
        "C USERS 1 bob",
        "C PROMPT RECIPIENT",
        "C ERR 404 zed is not online",
        "C ERR 412 no message pending");
    server.expectExitAndSayBye();

    assertExit(1, SIGNED_IN_ALONE, "! error 404: zed is not online", BYE_SHOWN);
  }

  @Test
  void aLineTooLongForTheServerIsRefusedWholeAndNotSent() throws Exception {
    startScript(startClient("bob"), "x".repeat(5000), "C LIST");
    server.replyTo("C LIST", "C USERS 1 bob"); // the long line never went out
    server.expectExitAndSayBye();

    assertEquals(1, client.exitCode());
    assertEquals(
        "! not sent: the line is 5002 bytes and the server takes at most 4096 - shorten it or"
            + " split it",
        client.outLines().get(2));
  }

  @Test
  void otherPeoplesControlCharactersNeverReachTheTerminal() throws Exception {
    startSignedIn(2);
    server.send(
        "D PM 3 2026-11-21T10:00:00.000Z alice \u001b[2J\u001b[31mboo\u0007",
        "C SHINY \u001b]0;title\u0007");
    client.endInput();
    server.expectExitAndSayBye();

    assertExit(
        0,
        SIGNED_IN_WITH_ANOTHER,
        "[10:00:00] alice: \\x1b[2J\\x1b[31mboo\\x07",
        "C SHINY \\x1b]0;title\\x07",
        BYE_SHOWN);
    assertFalse(client.out().contains("\u001b"));
  }

  @Test
  void retryIsFatalInScriptMode() throws Exception {
    client = startClient("bob");
    greetAndExpectNick("bob");
    server.send("C RETRY 409 name already in use");

    assertEquals(1, client.exitCode());
    assertEquals("cannot sign in as bob: 409 name already in use\n", client.err());
    assertEquals(List.of(), client.outLines());
  }

  @Test
  void retryAsksForAnotherNameWhenAPersonIsTyping() throws Exception {
    client = ClientRun.session(server.port(), settings(true, Main.QUIET_PERIOD));
    greetAndExpectNick("bob");
    server.send("C RETRY 409 name already in use");
    await().atMost(Duration.ofSeconds(5)).until(() -> client.out().contains("choose another name"));
    client.type("no way", "bob2");
    server.replyTo("C NICK bob2", "C READY bob2 2", "C HISTORY 0");
    server.replyTo("C SEQ", "C SEQ e1 0");
    server.replyTo("C LIST", "C USERS 2 alice bob2"); // for completion: not shown
    client.type("C PM");
    server.replyTo("C PM", "C PROMPT TEXT");
    client.type("C EX");
    server.expectExitAndSayBye();

    assertEquals(0, client.exitCode());
    assertEquals(
        "! name not accepted (409 name already in use) - choose another name\n"
            + "! name not accepted (a name uses only A-Z a-z 0-9 _ -) - choose another name\n"
            + "Signed in as bob2 (2 users online)\n"
            + ClientSession.HINT
            + "\n"
            + "--- no messages ---\n"
            + "Type your message as: D <text>\n"
            + "* server closed the connection: bye\n",
        client.out());
  }

  @Test
  void aScriptIsToldWhenTheServerGoesSilentAndWhenItIsBack() throws Exception {
    client =
        ClientRun.session(
            server.port(), settings(false, false, Main.QUIET_PERIOD, Duration.ofMillis(300)));
    greetAndExpectNick("bob");
    server.send("C READY bob 1", "C HISTORY 0");
    server.expect("C PING alive"); // at half the limit the client asks

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> client.out().contains("! nothing from the server for "));
    assertTrue(client.out().contains(" s; the connection may be lost\n"), client.out());
    server.send("C JOIN carol");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> client.out().contains("* the server is answering again\n* carol joined\n"));
    client.type("C EX");
    server.send("C PONG alive");
    server.expectExitAndSayBye();
    assertEquals(0, client.exitCode());
  }

  @Test
  void aServerThatNeverGreetsIsGivenUpWithOneLineAndExit1() throws Exception {
    client =
        ClientRun.session(
            server.port(),
            ClientRun.greetingWithin(
                server.port(), false, Duration.ofMillis(100), Duration.ofSeconds(1)));
    server.accept(); // and says nothing
    assertEquals(1, client.exitCode());
    assertEquals(
        "cannot sign in to 127.0.0.1:"
            + server.port()
            + ": no greeting from the server within 1 s - is this a TLS port? try --tls\n",
        client.err());
    assertEquals(
        List.of("* no greeting from the server yet - is this a TLS port? try --tls"),
        client.outLines());
  }

  @Test
  void passwordComesFromTheEnvironmentInScriptMode() throws Exception {
    client =
        ClientRun.main(
            Map.of("PARLEY_PASSWORD", "correct horse"),
            "--port",
            String.valueOf(server.port()),
            "--user",
            "bob");
    greetAndExpectNick("bob");
    server.send("C PASSWORD EXISTING");
    server.replyTo("C PASS correct horse", "C READY bob 1", "C HISTORY 0");
    client.endInput();
    server.expectExitAndSayBye();

    assertExit(0, "Signed in as bob (1 user online)", "--- no messages ---", BYE_SHOWN);
  }

  @Test
  void aPasswordRequestWithNoPasswordAvailableIsFatalInScriptMode() throws Exception {
    client = startClient("bob");
    greetAndExpectNick("bob");
    server.send("C PASSWORD NEW");

    assertEquals(1, client.exitCode());
    assertEquals(
        "cannot sign in as bob: the server asks for a password;"
            + " set PARLEY_PASSWORD or use --password-file FILE\n",
        client.err());
  }

  @Test
  void aWrongPasswordFromTheEnvironmentIsFatal() throws Exception {
    client =
        ClientRun.main(
            Map.of("PARLEY_PASSWORD", "nope"), "127.0.0.1", String.valueOf(server.port()), "bob");
    greetAndExpectNick("bob");
    server.send("C PASSWORD EXISTING");
    server.replyTo("C PASS nope", "C RETRY 401 wrong password");

    assertEquals(1, client.exitCode());
    assertEquals("cannot sign in as bob: 401 wrong password\n", client.err());
  }

  @Test
  void aFullServerIsReportedAsAConnectFailure() throws Exception {
    client = startClient("bob");
    server.accept();
    server.send("C ERR 503 server full");
    server.closeConnection();

    assertEquals(1, client.exitCode());
    assertEquals(
        "cannot connect to 127.0.0.1:" + server.port() + ": 503 server full\n", client.err());
  }

  @Test
  void aServerClosingDuringSignInEndsTheClientWithOneLine() throws Exception {
    client = startClient("bob");
    greetAndExpectNick("bob");
    server.send("C BYE sign-in timeout");
    server.closeConnection();

    assertEquals(1, client.exitCode());
    assertEquals(
        "cannot sign in to 127.0.0.1:"
            + server.port()
            + ": server closed the connection: sign-in timeout\n",
        client.err());
  }

  @Test
  void theServerDroppingTheSessionEndsTheClientWithAClearMessage() throws Exception {
    startSignedIn(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> client.out().contains("--- no messages"));
    server.closeConnection();

    assertExit(1, SIGNED_IN_ALONE, "* server closed the connection");
    assertEquals("", client.err());
  }

  @Test
  void aByeWhileSignedInIsShownAndEndsAScriptThatDoesNotReconnect() throws Exception {
    startSignedIn(1);
    server.send("C BYE server shutting down");
    server.closeConnection();

    assertExit(1, SIGNED_IN_ALONE, "* server closed the connection: server shutting down");
  }

  @Test
  void linesAfterTheScriptsOwnExitAreNotSent() throws Exception {
    startScript(startClient("bob"), "C EX", "C PM", "D too late");
    server.expectExitAndSayBye();
    server.expect(FakeServer.CLOSED);
    assertEquals(0, client.exitCode());
  }

  @Test
  void aMissingNameIsReadFromTheFirstLineOfAScript() throws Exception {
    client = ClientRun.main(Map.of(), "--port", String.valueOf(server.port()));
    client.type("carol", "C LIST");
    client.endInput();
    greetAndExpectNick("carol");
    server.send("C READY carol 1", "C HISTORY 0");
    server.replyTo("C LIST", "C USERS 1 carol");
    server.expectExitAndSayBye();
    assertEquals(0, client.exitCode());
  }

  @Test
  void aLongServerLineIsAccepted() throws Exception {
    startSignedIn(1);
    String text = "x".repeat(500_000);
    server.send("D PM 9 2026-11-21T10:00:00.000Z alice " + text);
    client.endInput();
    server.expectExitAndSayBye();
    assertEquals(0, client.exitCode());
    assertEquals("[10:00:00] alice: " + text, client.outLines().get(2));
  }
}
