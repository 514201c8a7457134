package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing and formatting of the lines a client sends (protocol sections 1, 3 and 4). */
class ClientLineTest {

  static Stream<Arguments> everyClientLineType() {
    return Stream.of(
        Arguments.of("C NICK alice", new ClientLine.Nick("alice")),
        Arguments.of("C PASS secret", new ClientLine.Pass("secret")),
        Arguments.of("C PM", new ClientLine.PublicMessage()),
        Arguments.of("C DM", new ClientLine.DirectMessage()),
        Arguments.of("C bob", new ClientLine.Recipient("bob")),
        Arguments.of("C LIST", new ClientLine.ListUsers()),
        Arguments.of("C CH", new ClientLine.ChatHistory(OptionalInt.empty())),
        Arguments.of("C CH 50", new ClientLine.ChatHistory(OptionalInt.of(50))),
        Arguments.of("C PING", new ClientLine.Ping(null)),
        Arguments.of("C PING 42", new ClientLine.Ping("42")),
        Arguments.of("C PONG", new ClientLine.Pong(null)),
        Arguments.of("C PONG t-17", new ClientLine.Pong("t-17")),
        Arguments.of("C EX", new ClientLine.Exit()),
        Arguments.of("C SEQ", new ClientLine.Seq()),
        Arguments.of("C CH SINCE 41 100", new ClientLine.ChatHistorySince(41, 100)),
        Arguments.of("D hello world", new ClientLine.Text("hello world")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyClientLineType")
  void parsesEveryClientLineType(String wire, ClientLine expected) throws ProtocolException {
    assertEquals(expected, ClientLine.parse(wire));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyClientLineType")
  void formatsEveryClientLineTypeAsTheWireShowsIt(String wire, ClientLine line) {
    assertEquals(wire, line.format());
  }

  static Stream<ClientLine> roundTrips() {
    return Stream.of(
        new ClientLine.Nick("Alice_99"),
        new ClientLine.Nick(""),
        new ClientLine.Pass("correct horse battery staple"),
        new ClientLine.Pass("  leading and trailing  "),
        new ClientLine.Pass(""),
        new ClientLine.PublicMessage(),
        new ClientLine.DirectMessage(),
        new ClientLine.Recipient("bob"),
        new ClientLine.Recipient("READY"),
        new ClientLine.ListUsers(),
        new ClientLine.ChatHistory(OptionalInt.empty()),
        new ClientLine.ChatHistory(OptionalInt.of(0)),
        new ClientLine.ChatHistory(OptionalInt.of(1000)),
        new ClientLine.Ping(null),
        new ClientLine.Ping("abc def"),
        new ClientLine.Pong(null),
        new ClientLine.Pong("abc"),
        new ClientLine.Exit(),
        new ClientLine.Text(""),
        new ClientLine.Text("  spaced  out  "),
        new ClientLine.Text("C PM looks like a command"),
        new ClientLine.Text("caf\u00e9 \ud83d\ude00"));
  }

  @ParameterizedTest
  @MethodSource("roundTrips")
  void parsingTheFormattedLineGivesTheSameLine(ClientLine line) throws ProtocolException {
    assertEquals(line, ClientLine.parse(line.format()));
  }

  // ---- case ----

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "C pm       | PM",
        "C Pm       | PM",
        "C dm       | DM",
        "C list     | LIST",
        "C LiSt     | LIST",
        "C ex       | EX",
        "C Ex       | EX",
      })
  void keywordsMatchWithoutRegardToCase(String wire, String canonical) throws ProtocolException {
    assertEquals(ClientLine.parse("C " + canonical), ClientLine.parse(wire));
  }

  @Test
  void keywordsWithArgumentsMatchWithoutRegardToCase() throws ProtocolException {
    assertEquals(new ClientLine.Nick("alice"), ClientLine.parse("C nick alice"));
    assertEquals(new ClientLine.Pass("Secret"), ClientLine.parse("C pAsS Secret"));
    assertEquals(new ClientLine.ChatHistory(OptionalInt.of(3)), ClientLine.parse("C ch 3"));
    assertEquals(new ClientLine.Ping("Tok"), ClientLine.parse("C ping Tok"));
    assertEquals(new ClientLine.Pong("Tok"), ClientLine.parse("C Pong Tok"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"c pm", "c PM", "d hello", "d ", "c NICK alice"})
  void lowerCaseMarkersAreMalformed(String wire) {
    assertMalformed(wire);
  }

  @Test
  void formattedKeywordsAreUpperCase() {
    assertEquals("C PM", new ClientLine.PublicMessage().format());
    assertEquals("C CH 5", new ClientLine.ChatHistory(OptionalInt.of(5)).format());
  }

  // ---- arguments ----

  @Test
  void passKeepsEverySpaceOfTheRestOfTheLine() throws ProtocolException {
    assertEquals(
        new ClientLine.Pass(" two  spaces and a tab\t "),
        ClientLine.parse("C PASS  two  spaces and a tab\t "));
  }

  @Test
  void passWithNothingAfterItIsAnEmptyPassword() throws ProtocolException {
    assertEquals(new ClientLine.Pass(""), ClientLine.parse("C PASS"));
    assertEquals(new ClientLine.Pass(""), ClientLine.parse("C PASS "));
  }

  @Test
  void passwordIsNotShownByToString() {
    String shown = new ClientLine.Pass("hunter2").toString();
    assertEquals("Pass[password=<hidden>]", shown);
    assertFalse(shown.contains("hunter2"));
  }

  @Test
  void nickTakesTheRestOfTheLineAndLeavesCheckingItToTheServer() throws ProtocolException {
    // The server answers an unacceptable name with C RETRY 422, not a parse error.
    assertEquals(new ClientLine.Nick("alice bob"), ClientLine.parse("C NICK alice bob"));
    assertEquals(new ClientLine.Nick(""), ClientLine.parse("C NICK"));
    assertEquals(new ClientLine.Nick("PM"), ClientLine.parse("C NICK PM"));
  }

  @Test
  void pingAndPongTokensAreOptional() throws ProtocolException {
    assertEquals(new ClientLine.Ping(null), ClientLine.parse("C PING"));
    assertEquals(new ClientLine.Ping("a b"), ClientLine.parse("C PING a b"));
    assertEquals(new ClientLine.Pong(null), ClientLine.parse("C PONG"));
    assertEquals(new ClientLine.Pong("x"), ClientLine.parse("C PONG x"));
  }

  @Test
  void chWithoutACountAsksForTheDefaultTwenty() throws ProtocolException {
    ClientLine.ChatHistory ch = (ClientLine.ChatHistory) ClientLine.parse("C CH");
    assertEquals(OptionalInt.empty(), ch.count());
    assertEquals(20, ch.effectiveCount());
    assertEquals(20, ClientLine.ChatHistory.DEFAULT_COUNT);
  }

  @ParameterizedTest
  @CsvSource({
    "C CH 0, 0",
    "C CH 1, 1",
    "C CH 20, 20",
    "C CH 999, 999",
    "C CH 1000, 1000",
    "C CH 1001, 1000",
    "C CH 2147483647, 1000",
    "C CH 2147483648, 1000",
    "C CH 99999999999999999999999999999999999999, 1000",
    "C CH 007, 7",
    "C CH 0000000000000000000005, 5",
    "C CH 0000000000000000001001, 1000",
  })
  void chCountsAboveOneThousandCountAsOneThousand(String wire, int expected)
      throws ProtocolException {
    ClientLine.ChatHistory ch = (ClientLine.ChatHistory) ClientLine.parse(wire);
    assertEquals(OptionalInt.of(expected), ch.count());
    assertEquals(expected, ch.effectiveCount());
    assertEquals(1000, ClientLine.ChatHistory.MAX_COUNT);
  }

  @Test
  void effectiveCountCapsACountThatWasNotParsed() {
    assertEquals(1000, new ClientLine.ChatHistory(OptionalInt.of(5000)).effectiveCount());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "C CH many",
        "C CH -1",
        "C CH +5",
        "C CH 1e3",
        "C CH 0x10",
        "C CH 5 6",
        "C CH 5x",
        "C CH \u0663", // ARABIC-INDIC DIGIT THREE: a digit, but not 0-9
        "C CH \uff15", // FULLWIDTH DIGIT FIVE
      })
  void chWithACountThatIsNotANumberIsMalformed(String wire) {
    ProtocolException e = assertMalformed(wire);
    assertEquals("CH takes a count of messages, got: " + wire.substring(5), e.reason());
  }

  @ParameterizedTest
  @ValueSource(strings = {"C DM bob", "C EX now", "C EX a b c", "C ROOMS #a"})
  void commandsWithoutArgumentsRejectTrailingWords(String wire) {
    ProtocolException e = assertMalformed(wire);
    String keyword = wire.substring(2, wire.indexOf(' ', 2)).toUpperCase(Locale.ROOT);
    assertEquals(
        keyword + " takes no arguments, got: " + wire.substring(wire.indexOf(' ', 2) + 1),
        e.reason());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "C NICK  alice",
        "C NICK alice  bob",
        "C CH  5",
        "C CH SINCE  5",
        "C PM  x",
        "C bob  x",
        "C NICK  alice  "
      })
  void anEmptyWordBetweenCommandWordsIsMalformedWhateverTheKeyword(String wire) {
    ProtocolException e = assertMalformed(wire);
    assertEquals(
        "command words are separated by one space: " + wire.substring(2).stripTrailing(),
        e.reason());
  }

  @Test
  void passwordsAndTokensKeepTheirSpaces() throws ProtocolException {
    assertEquals(new ClientLine.Pass(" two  spaces "), ClientLine.parse("C PASS  two  spaces "));
    assertEquals(new ClientLine.Ping(" a  b"), ClientLine.parse("C PING  a  b"));
    assertEquals(new ClientLine.Pong(" a  b"), ClientLine.parse("C PONG  a  b"));
  }

  // ---- trailing spaces (contract section 8) ----

  static Stream<Arguments> trailingSpacesAfterTheLastWord() {
    return Stream.of(
        Arguments.of("C NICK alice ", new ClientLine.Nick("alice")),
        Arguments.of("C NICK alice   ", new ClientLine.Nick("alice")),
        Arguments.of("C bob ", new ClientLine.Recipient("bob")),
        Arguments.of("C LIST ", new ClientLine.ListUsers()),
        Arguments.of("C PM ", new ClientLine.PublicMessage()),
        Arguments.of("C DM  ", new ClientLine.DirectMessage()),
        Arguments.of("C EX ", new ClientLine.Exit()),
        Arguments.of("C CH ", new ClientLine.ChatHistory(OptionalInt.empty())),
        Arguments.of("C CH 5 ", new ClientLine.ChatHistory(OptionalInt.of(5))),
        Arguments.of("C SEQ ", new ClientLine.Seq()),
        Arguments.of("C CH SINCE 7 ", new ClientLine.ChatHistorySince(7, 1000)),
        Arguments.of("C CH SINCE 7 3  ", new ClientLine.ChatHistorySince(7, 3)));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @MethodSource("trailingSpacesAfterTheLastWord")
  void trailingSpacesAfterACommandsLastWordAreIgnored(String wire, ClientLine expected)
      throws ProtocolException {
    assertEquals(expected, ClientLine.parse(wire));
  }

  @Test
  void passPingAndPongKeepTrailingSpacesAsPartOfTheirRest() throws ProtocolException {
    assertEquals(new ClientLine.Pass("secret "), ClientLine.parse("C PASS secret "));
    assertEquals(new ClientLine.Ping("t "), ClientLine.parse("C PING t "));
    assertEquals(new ClientLine.Pong("t "), ClientLine.parse("C PONG t "));
  }

  // ---- resume: C SEQ and C CH SINCE (contract section 10) ----

  @ParameterizedTest
  @CsvSource({
    "C CH SINCE 0, 0, 1000",
    "C CH since 41, 41, 1000",
    "C ch Since 41 5, 41, 5",
    "C CH SINCE 41 0, 41, 0",
    "C CH SINCE 41 5000, 41, 1000",
    "C CH SINCE 123456789012345678 1, 123456789012345678, 1",
  })
  void chSinceTakesASeqAndAnOptionalCountCappedAtOneThousand(String wire, long afterSeq, int count)
      throws ProtocolException {
    assertEquals(new ClientLine.ChatHistorySince(afterSeq, count), ClientLine.parse(wire));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "C CH SINCE",
        "C CH SINCE x",
        "C CH SINCE -1",
        "C CH SINCE 5 x",
        "C CH SINCE 5 6 7",
        "C CH SINCE 1234567890123456789",
        "C SEQ now",
      })
  void malformedResumeLinesAre400(String wire) {
    assertMalformed(wire);
  }

  @Test
  void seqIsAReservedName() throws ProtocolException {
    assertEquals(Keyword.SEQ, Keyword.lookup("seq"));
    assertTrue(Keyword.SEQ.isClientCommand());
    assertEquals("seq is a protocol keyword", Names.problem("seq"));
    assertEquals(
        ClientLine.parse("C SEQ").getClass(), ClientLine.Seq.class, "a command, not a recipient");
  }

  // ---- recipients and unknown words ----

  @Test
  void singleUnknownWordIsARecipientSpelledAsSent() throws ProtocolException {
    assertEquals(new ClientLine.Recipient("Bob"), ClientLine.parse("C Bob"));
    assertEquals(new ClientLine.Recipient("x_1-y"), ClientLine.parse("C x_1-y"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "READY",
        "ready",
        "HELLO",
        "PASSWORD",
        "RETRY",
        "PROMPT",
        "SENT",
        "USERS",
        "HISTORY",
        "BYE",
        "LEAVE",
        "JOINED",
        "PARTED",
        "ERR"
      })
  void serverOnlyKeywordAsASingleWordIsARecipient(String word) throws ProtocolException {
    assertEquals(new ClientLine.Recipient(word), ClientLine.parse("C " + word));
  }

  @Test
  void aWordThatIsNoValidNameIsStillARecipientForTheServerToReject() throws ProtocolException {
    // Parsing checks syntax only; the DM step answers an unknown user with 404.
    assertEquals(
        new ClientLine.Recipient("n\u00f6t.a.name!"), ClientLine.parse("C n\u00f6t.a.name!"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"C FOO bar", "C bob hello", "C READY alice", "C foo bar baz"})
  void unknownKeywordWithArgumentsIsMalformed(String wire) {
    ProtocolException e = assertMalformed(wire);
    assertEquals("unknown command " + wire.split(" ")[1], e.reason());
  }

  // ---- malformed lines ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "C",
        "D",
        "C ",
        "C  PM",
        "C  ",
        "X hello",
        " C PM",
        "CPM",
        "DPM",
        "C\tPM",
        "hello",
        "PM",
        "\u00a0C PM"
      })
  void linesNotStartingWithAMarkerAndAWordAreMalformed(String wire) {
    assertMalformed(wire);
  }

  @Test
  void malformedLinesSayWhatALineMustLookLike() {
    assertEquals(
        "a line starts with \"C \" (command) or \"D \" (data)", assertMalformed("hello").reason());
    assertEquals("a command line needs a keyword", assertMalformed("C ").reason());
    assertEquals("a command line needs a keyword", assertMalformed("C  PM").reason());
  }

  // ---- data lines ----

  @Test
  void dataLineWithNothingAfterTheMarkerIsEmptyText() throws ProtocolException {
    assertEquals(new ClientLine.Text(""), ClientLine.parse("D "));
  }

  @Test
  void dataLineKeepsItsTextExactly() throws ProtocolException {
    assertEquals(new ClientLine.Text(" lead"), ClientLine.parse("D  lead"));
    assertEquals(new ClientLine.Text("trail "), ClientLine.parse("D trail "));
    assertEquals(new ClientLine.Text("C PM"), ClientLine.parse("D C PM"));
    assertEquals(new ClientLine.Text("a\tb\rc"), ClientLine.parse("D a\tb\rc"));
  }

  @Test
  void everyLineOfAScriptedSessionParses() throws ProtocolException {
    List<String> session =
        List.of("C NICK alice", "C PM", "D hi all", "C DM", "C bob", "D psst", "C LIST", "C EX");
    List<ClientLine> expected =
        List.of(
            new ClientLine.Nick("alice"),
            new ClientLine.PublicMessage(),
            new ClientLine.Text("hi all"),
            new ClientLine.DirectMessage(),
            new ClientLine.Recipient("bob"),
            new ClientLine.Text("psst"),
            new ClientLine.ListUsers(),
            new ClientLine.Exit());
    for (int i = 0; i < session.size(); i++) {
      assertEquals(expected.get(i), ClientLine.parse(session.get(i)));
    }
  }

  private static ProtocolException assertMalformed(String wire) {
    ProtocolException e =
        assertThrows(
            ProtocolException.class, () -> ClientLine.parse(wire), () -> "\"" + wire + "\"");
    assertEquals(ErrorCode.MALFORMED, e.code(), () -> "\"" + wire + "\"");
    return e;
  }
}
