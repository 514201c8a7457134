package dev.parley.server.classroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Classroom mode over real sockets on loopback: the transcript of section 9 of the protocol, to the
 * character, on the server's output and on both clients.
 */
class ClassroomEndToEndTest {
  private static final String WAITING = "The server is waiting to receive two connections....";
  private static final String FIRST = "Accepted first connection, calling it client X";
  private static final String SECOND = "Accepted second connection, calling it client Y";
  private static final String WAITING_FOR_MESSAGES =
      "Waiting to receive messages from client X and client Y....";
  private static final String ACK_SENT = "Sent acknowledgment to both X and Y";

  /** How a client ends its message. */
  enum Ending {
    LF("\n"),
    CRLF("\r\n"),
    NONE(""); // one send, then silence: the quiet period ends it

    final String bytes;

    Ending(String bytes) {
      this.bytes = bytes;
    }
  }

  @RegisterExtension final ClassroomUnderTest classroom = new ClassroomUnderTest();

  private static ClassroomConfig config() {
    return ClassroomConfig.defaults();
  }

  /** What the server prints from its start to the acknowledgment of the first pair, then more. */
  private static List<String> firstPairPrinted(
      String firstMessage, String secondMessage, String... after) {
    List<String> lines =
        new ArrayList<>(
            List.of(
                WAITING,
                FIRST,
                SECOND,
                WAITING_FOR_MESSAGES,
                firstMessage,
                secondMessage,
                ACK_SENT));
    lines.addAll(List.of(after));
    return lines;
  }

  /** {@code first} sends its message, and once the server has printed it, {@code second} sends. */
  private void sendInTurn(
      RawClient first, String firstMessage, RawClient second, String secondMessage)
      throws IOException {
    first.send(firstMessage + "\n");
    classroom.awaitPrinted(firstMessage);
    second.send(secondMessage + "\n");
  }

  /** Each client's next line is {@code line}. */
  private static void expectEach(String line, RawClient... clients) throws IOException {
    for (RawClient client : clients) {
      client.expect(line);
    }
  }

  /** Each client's last line is {@code line}: the server closes the connection after it. */
  private static void expectEachThenClosed(String line, RawClient... clients) throws IOException {
    for (RawClient client : clients) {
      client.expect(line);
      client.expectClosed();
    }
  }

  /** Connects X, then Y, and checks that each is told its label. */
  private RawClient[] connectPair() throws IOException {
    RawClient x = classroom.connect();
    classroom.awaitPrinted(FIRST);
    RawClient y = classroom.connect();
    x.expect("Client X connected");
    y.expect("Client Y connected");
    classroom.awaitPrinted(WAITING_FOR_MESSAGES);
    return new RawClient[] {x, y};
  }

  static Stream<Arguments> orders() {
    List<Arguments> all = new ArrayList<>();
    for (String connectsFirst : List.of("Alice", "Bob")) {
      for (String sendsFirst : List.of("Alice", "Bob")) {
        for (Ending ending : Ending.values()) {
          all.add(Arguments.of(connectsFirst, sendsFirst, ending));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} connects first, {1} sends first, messages end with {2}")
  @MethodSource("orders")
  void theAcknowledgmentFollowsTheOrderOfArrivalNotOfConnection(
      String connectsFirst, String sendsFirst, Ending ending) throws IOException {
    classroom.start(config());
    RawClient[] pair = connectPair();
    // pair[0] is the first to connect, so it is X.
    RawClient firstSender = sendsFirst.equals(connectsFirst) ? pair[0] : pair[1];
    RawClient secondSender = firstSender == pair[0] ? pair[1] : pair[0];
    String firstLabel = firstSender == pair[0] ? "X" : "Y";
    String secondLabel = firstLabel.equals("X") ? "Y" : "X";
    String otherName = sendsFirst.equals("Alice") ? "Bob" : "Alice";
    String firstMessage = "Client " + firstLabel + ": " + sendsFirst;
    String secondMessage = "Client " + secondLabel + ": " + otherName;

    firstSender.send(firstMessage + ending.bytes);
    classroom.awaitPrinted(firstMessage);
    secondSender.send(secondMessage + ending.bytes);

    String ack =
        firstLabel + ": " + sendsFirst + " received before " + secondLabel + ": " + otherName;
    expectEachThenClosed(ack, pair);
    classroom.awaitTranscript(firstPairPrinted(firstMessage, secondMessage, WAITING));
  }

  @Test
  void aMessageSentBeforeTheSecondClientConnectedIsReadOnlyOnceBothAreIn() throws IOException {
    classroom.start(config());
    RawClient x = classroom.connect();
    x.send("Client X: Alice\n");
    classroom.awaitPrinted(FIRST);
    // The bytes are in the server's kernel buffer by now; the server must leave them there.
    ClassroomUnderTest.await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !classroom.printed().contains("Client X: Alice"));

    RawClient y = classroom.connect();
    x.expect("Client X connected");
    y.expect("Client Y connected");
    classroom.awaitPrinted("Client X: Alice");
    y.send("Client Y: Bob\n");

    expectEach("X: Alice received before Y: Bob", x, y);
    classroom.awaitTranscript(firstPairPrinted("Client X: Alice", "Client Y: Bob", WAITING));
  }

  @Test
  void aNoLineEndClientThatSentFirstStaysFirstWhenALineClientAnswersAtOnce() throws IOException {
    // A long quiet period: Y's line is complete well before X's message ends.
    classroom.start(config().withQuietPeriod(Duration.ofMillis(500)));
    RawClient x = classroom.connect();
    x.send("Client X: Alice");
    classroom.awaitPrinted(FIRST);
    RawClient y = classroom.connect();
    y.expect("Client Y connected");
    y.send("Client Y: Bob\r\n");
    x.expect("Client X connected");

    expectEach("X: Alice received before Y: Bob", x, y);
    classroom.awaitTranscript(firstPairPrinted("Client X: Alice", "Client Y: Bob", WAITING));
  }

  @Test
  void aClientThatSendsItsMessageAndEndsItsOutputStillGetsTheAcknowledgment() throws IOException {
    // A quiet period longer than the test: only the end of stream can end X's message.
    classroom.start(config().withQuietPeriod(Duration.ofSeconds(30)));
    RawClient[] pair = connectPair();
    pair[0].send("Client X: Alice"); // printf 'Client X: Alice' | nc -N
    pair[0].endOutput();
    classroom.awaitPrinted("Client X: Alice");
    pair[1].send("Client Y: Bob\n");

    expectEachThenClosed("X: Alice received before Y: Bob", pair);
  }

  @Test
  void messagesWithoutALabelAreAcknowledgedAsSent() throws IOException {
    classroom.start(config());
    RawClient[] pair = connectPair();
    pair[1].send("Bob");
    classroom.awaitPrinted("Bob");
    pair[0].send("Client Y: Alice\n"); // X claiming to be Y keeps that label in the ack

    expectEach("Y: Bob received before X: Client Y: Alice", pair);
  }

  @Test
  void relayCarriesAHundredMessagesEachWayUntilByeThenClosesBoth() throws IOException {
    classroom.start(config().withRelay(true));
    RawClient[] pair = connectPair();
    RawClient x = pair[0];
    RawClient y = pair[1];
    sendInTurn(x, "Client X: Alice", y, "Client Y: Bob");
    expectEach("X: Alice received before Y: Bob", x, y);

    StringBuilder fromX = new StringBuilder();
    StringBuilder fromY = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      fromX.append("x says ").append(i).append('\n');
      fromY.append("y says ").append(i).append("\r\n");
    }
    x.send(fromX.toString());
    y.send(fromY.toString());
    for (int i = 0; i < 100; i++) {
      y.expect("X: x says " + i);
      x.expect("Y: y says " + i);
    }
    x.send("Bye"); // no line end: the quiet period ends it

    expectEachThenClosed("Bye", pair);
    classroom.awaitPrinted(WAITING, 2); // printed right after "Done.", for the next pair
    List<String> printed = classroom.printed();
    List<String> relayedFromX = new ArrayList<>();
    List<String> relayedFromY = new ArrayList<>();
    for (String line : printed.subList(7, printed.size() - 2)) {
      (line.startsWith("X: ") ? relayedFromX : relayedFromY).add(line);
    }
    List<String> expectedX = new ArrayList<>();
    List<String> expectedY = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expectedX.add("X: x says " + i);
      expectedY.add("Y: y says " + i);
    }
    assertEquals(expectedX, relayedFromX);
    assertEquals(expectedY, relayedFromY);
    assertEquals(firstPairPrinted("Client X: Alice", "Client Y: Bob"), printed.subList(0, 7));
    assertEquals(List.of("Done.", WAITING), printed.subList(printed.size() - 2, printed.size()));
  }

  @Test
  void aClientThatLeavesBeforeItsMessageIsReportedAndTheServerGoesOnToTheNextPair()
      throws IOException {
    classroom.start(config());
    RawClient[] pair = connectPair();
    pair[0].send("Client X: Alice\n");
    classroom.awaitPrinted("Client X: Alice");
    pair[1].close();

    pair[0].expect("Client Y disconnected");
    pair[0].expectClosed();
    classroom.awaitTranscript(
        List.of(
            WAITING,
            FIRST,
            SECOND,
            WAITING_FOR_MESSAGES,
            "Client X: Alice",
            "Client Y disconnected",
            WAITING));

    RawClient x = classroom.connect();
    RawClient y = classroom.connect();
    x.expect("Client X connected");
    y.expect("Client Y connected");
    sendInTurn(y, "Client Y: Dave", x, "Client X: Carol");
    expectEach("Y: Dave received before X: Carol", x, y);
  }

  @Test
  void aClientThatLeavesMidRelayIsReportedToTheOther() throws IOException {
    classroom.start(config().withRelay(true));
    RawClient[] pair = connectPair();
    sendInTurn(pair[1], "Client Y: Bob", pair[0], "Client X: Alice");
    expectEach("Y: Bob received before X: Alice", pair);
    pair[0].send("still there?\n");
    pair[1].expect("X: still there?");
    pair[0].close();

    pair[1].expect("Client X disconnected");
    pair[1].expectClosed();
    classroom.awaitPrinted(WAITING, 2);
    List<String> printed = classroom.printed();
    assertEquals(
        List.of("X: still there?", "Client X disconnected", WAITING),
        printed.subList(printed.size() - 3, printed.size()));
  }

  @Test
  void aThirdConnectionWaitsUnreadForTheNextPair() throws IOException {
    classroom.start(config());
    RawClient[] pair = connectPair();
    RawClient carol = classroom.connect();
    carol.send("Client X: Carol\n"); // sent early: read only once Carol has a partner

    sendInTurn(pair[0], "Client X: Alice", pair[1], "Client Y: Bob");
    expectEach("X: Alice received before Y: Bob", pair);

    // Carol becomes X of the next pair; nothing was read from her or sent to her meanwhile.
    classroom.awaitPrinted(FIRST, 2);
    RawClient dave = classroom.connect();
    carol.expect("Client X connected");
    dave.expect("Client Y connected");
    classroom.awaitPrinted("Client X: Carol");
    dave.send("Client Y: Dave\n");
    expectEach("X: Carol received before Y: Dave", carol, dave);
    List<String> printed = classroom.printed();
    assertEquals(
        firstPairPrinted(
            "Client X: Alice",
            "Client Y: Bob",
            WAITING,
            FIRST,
            SECOND,
            WAITING_FOR_MESSAGES,
            "Client X: Carol",
            "Client Y: Dave",
            ACK_SENT),
        printed.subList(0, 14));
  }

  @Test
  void withOnceTheServerFinishesAfterOnePairAndClosesWhoeverWaits() throws Exception {
    classroom.start(config().withOnce(true).withRelay(true));
    RawClient[] pair = connectPair();
    RawClient late = classroom.connect();
    sendInTurn(pair[0], "Client X: Alice", pair[1], "Client Y: Bob");
    expectEach("X: Alice received before Y: Bob", pair);
    pair[1].send("Bye\n");
    expectEach("Bye", pair);

    assertTrue(classroom.server().awaitFinished(10, TimeUnit.SECONDS));
    late.expectClosed();
    assertThrows(IOException.class, () -> RawClient.connect(classroom.server().port()).close());
    classroom.awaitTranscript(firstPairPrinted("Client X: Alice", "Client Y: Bob", "Done."));
  }

  @Test
  void aFirstClientThatHungUpBeforeItsPartnerCameIsReplacedByTheNextConnection() throws Exception {
    classroom.start(config().withOnce(true));
    RawClient gone = classroom.connect();
    classroom.awaitPrinted(FIRST);
    gone.close();
    classroom.awaitPrinted("Client X disconnected");

    RawClient x = classroom.connect();
    classroom.awaitPrinted(FIRST, 2);
    RawClient y = classroom.connect();
    x.expect("Client X connected");
    y.expect("Client Y connected");
    sendInTurn(x, "Client X: Alice", y, "Client Y: Bob");
    expectEachThenClosed("X: Alice received before Y: Bob", x, y);

    assertTrue(classroom.server().awaitFinished(10, TimeUnit.SECONDS));
    classroom.awaitTranscript(
        List.of(
            WAITING,
            FIRST,
            "Client X disconnected",
            FIRST,
            SECOND,
            WAITING_FOR_MESSAGES,
            "Client X: Alice",
            "Client Y: Bob",
            ACK_SENT));
  }

  @Test
  void aPairThatStaysSilentForThePairTimeoutIsEndedWithAMessageToBoth() throws IOException {
    classroom.start(config().withPairTimeout(Duration.ofMillis(300)));
    RawClient[] pair = connectPair();
    pair[0].send("Client X: Alice\n");
    classroom.awaitPrinted("Client X: Alice");
    // Y never answers.

    String line = "Pair ended: no message from client Y in 300 ms";
    expectEachThenClosed(line, pair);
    classroom.awaitTranscript(
        List.of(WAITING, FIRST, SECOND, WAITING_FOR_MESSAGES, "Client X: Alice", line, WAITING));
  }

  @Test
  void escapeSequencesFromAClientAreShownNotObeyedOnTheServersConsole() throws IOException {
    classroom.start(config().withRelay(true));
    RawClient[] pair = connectPair();
    String retitleAndClear = "\u001b]0;pwned\u0007\u001b[2J";
    pair[0].send(retitleAndClear + "\n");
    classroom.awaitPrinted("\\x1b]0;pwned\\x07\\x1b[2J");
    pair[1].send("Client Y: \u202eboB\n");
    expectEach("X: " + retitleAndClear + " received before Y: \u202eboB", pair);
    pair[1].send("\u2066hi\u2069\n");
    pair[0].expect("Y: \u2066hi\u2069");

    classroom.awaitTranscript(
        firstPairPrinted(
            "\\x1b]0;pwned\\x07\\x1b[2J", "Client Y: \\u202eboB", "Y: \\u2066hi\\u2069"));
  }
}
