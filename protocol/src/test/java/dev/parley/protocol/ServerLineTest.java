package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Golden wire strings for every line the server sends, and the client's parsing of them. */
class ServerLineTest {
  /** 2026-11-21T10:15:30.123Z, the time protocol.md uses in its examples. */
  private static final long EXAMPLE_MILLIS = 1_795_256_130_123L;

  /** 2026-11-21T10:15:31.000Z: a whole second, where the fraction must still be written. */
  private static final long WHOLE_SECOND_MILLIS = 1_795_256_131_000L;

  static Stream<Arguments> goldenLines() {
    return Stream.of(
        Arguments.of(
            new ServerLine.Hello(ServerLine.VERSION, "welcome to parley"),
            "C HELLO parley/1 welcome to parley"),
        Arguments.of(new ServerLine.Hello("parley/1", ""), "C HELLO parley/1"),
        Arguments.of(new ServerLine.PasswordRequest(ServerLine.PasswordKind.NEW), "C PASSWORD NEW"),
        Arguments.of(
            new ServerLine.PasswordRequest(ServerLine.PasswordKind.EXISTING),
            "C PASSWORD EXISTING"),
        Arguments.of(new ServerLine.Ready("alice", 3), "C READY alice 3"),
        Arguments.of(new ServerLine.Seq("k3J-9_x", 0), "C SEQ k3J-9_x 0"),
        Arguments.of(new ServerLine.Seq("e", 9_007_199_254_740_993L), "C SEQ e 9007199254740993"),
        Arguments.of(
            new ServerLine.Retry(ErrorCode.NAME_TAKEN, "name already in use"),
            "C RETRY 409 name already in use"),
        Arguments.of(
            new ServerLine.Retry(ErrorCode.INVALID_NAME, "a name has at most 32 characters"),
            "C RETRY 422 a name has at most 32 characters"),
        Arguments.of(
            new ServerLine.Retry(ErrorCode.WRONG_PASSWORD, "wrong password"),
            "C RETRY 401 wrong password"),
        Arguments.of(new ServerLine.Prompt(ServerLine.PromptKind.TEXT), "C PROMPT TEXT"),
        Arguments.of(new ServerLine.Prompt(ServerLine.PromptKind.RECIPIENT), "C PROMPT RECIPIENT"),
        Arguments.of(new ServerLine.SentPublic(7, 3), "C SENT PM 7 3"),
        Arguments.of(new ServerLine.SentPublic(8, 0), "C SENT PM 8 0"),
        Arguments.of(new ServerLine.SentDirect(9, "bob"), "C SENT DM 9 bob"),
        Arguments.of(new ServerLine.Users(List.of()), "C USERS 0"),
        Arguments.of(new ServerLine.Users(List.of("alice")), "C USERS 1 alice"),
        Arguments.of(
            new ServerLine.Users(List.of("alice", "Bob", "carol_7")),
            "C USERS 3 alice Bob carol_7"),
        Arguments.of(new ServerLine.History(0), "C HISTORY 0"),
        Arguments.of(new ServerLine.History(20), "C HISTORY 20"),
        Arguments.of(new ServerLine.Ping("k3x9"), "C PING k3x9"),
        Arguments.of(new ServerLine.Ping(null), "C PING"),
        Arguments.of(new ServerLine.Pong("k3x9"), "C PONG k3x9"),
        Arguments.of(new ServerLine.Pong(null), "C PONG"),
        Arguments.of(new ServerLine.Bye("goodbye"), "C BYE goodbye"),
        Arguments.of(new ServerLine.Bye("too slow"), "C BYE too slow"),
        Arguments.of(new ServerLine.Join("bob"), "C JOIN bob"),
        Arguments.of(new ServerLine.Leave("bob", null), "C LEAVE bob"),
        Arguments.of(new ServerLine.Leave("bob", "ping timeout"), "C LEAVE bob ping timeout"),
        Arguments.of(
            new ServerLine.Error(ErrorCode.NOT_ONLINE, "carol is not online"),
            "C ERR 404 carol is not online"),
        Arguments.of(
            new ServerLine.Error(ErrorCode.MALFORMED, "unknown command FOO"),
            "C ERR 400 unknown command FOO"),
        Arguments.of(ServerLine.Error.of(ErrorCode.SERVER_FULL), "C ERR 503 server full"),
        Arguments.of(ServerLine.Error.of(ErrorCode.LINE_TOO_LONG), "C ERR 413 line too long"),
        Arguments.of(
            new ServerLine.Delivery(
                ChatMessage.publicMessage(12, EXAMPLE_MILLIS, "alice", "hello world")),
            "D PM 12 2026-11-21T10:15:30.123Z alice hello world"),
        Arguments.of(
            new ServerLine.Delivery(
                ChatMessage.directMessage(13, WHOLE_SECOND_MILLIS, "alice", "bob", "see you")),
            "D DM 13 2026-11-21T10:15:31.000Z alice bob see you"),
        Arguments.of(
            new ServerLine.Delivery(ChatMessage.publicMessage(1, 0, "a", "")),
            "D PM 1 1970-01-01T00:00:00.000Z a "),
        Arguments.of(new ServerLine.Unknown("C MOTD general chat"), "C MOTD general chat"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("goldenLines")
  void formatWritesTheGoldenString(ServerLine line, String wire) {
    assertEquals(wire, line.format());
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("goldenLines")
  void parseReadsTheGoldenString(ServerLine line, String wire) throws ProtocolException {
    assertEquals(line, ServerLine.parse(wire));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("goldenLines")
  void parsingTheFormattedLineGivesTheSameLine(ServerLine line, String wire)
      throws ProtocolException {
    assertEquals(line, ServerLine.parse(line.format()));
  }

  @Test
  void versionIsParley1() {
    assertEquals("parley/1", ServerLine.VERSION);
  }

  // ---- text with spaces ----

  static Stream<String> awkwardTexts() {
    return Stream.of(
        "",
        " ",
        "  leading",
        "trailing  ",
        "double  spaces  inside",
        "C PM",
        "D DM 1 2026-11-21T10:15:30.123Z x y z",
        "tab\tand\rcr",
        "caf\u00e9 \u20ac \ud83d\ude00");
  }

  @ParameterizedTest
  @MethodSource("awkwardTexts")
  void publicMessageTextSurvivesExactly(String text) throws ProtocolException {
    ServerLine line = new ServerLine.Delivery(ChatMessage.publicMessage(5, 1, "alice", text));
    assertEquals(line, ServerLine.parse(line.format()));
  }

  @ParameterizedTest
  @MethodSource("awkwardTexts")
  void directMessageTextSurvivesExactly(String text) throws ProtocolException {
    ServerLine line =
        new ServerLine.Delivery(ChatMessage.directMessage(5, 1, "alice", "bob", text));
    assertEquals(line, ServerLine.parse(line.format()));
  }

  @Test
  void reasonsAndFreeTextKeepTheirSpaces() throws ProtocolException {
    List<ServerLine> lines =
        List.of(
            new ServerLine.Hello("parley/1", "hello  there "),
            new ServerLine.Retry(ErrorCode.INVALID_NAME, " a  b "),
            new ServerLine.Error(ErrorCode.NOT_EXPECTED, "no PM or DM is pending  "),
            new ServerLine.Bye("server  shutting down"),
            new ServerLine.Leave("bob", "ping  timeout "),
            new ServerLine.Ping("a b"),
            new ServerLine.Pong(" x"));
    for (ServerLine line : lines) {
      assertEquals(line, ServerLine.parse(line.format()));
    }
  }

  @Test
  void emptyReasonsParseAsEmpty() throws ProtocolException {
    assertEquals(new ServerLine.Bye(""), ServerLine.parse("C BYE"));
    assertEquals(new ServerLine.Error(ErrorCode.MALFORMED, ""), ServerLine.parse("C ERR 400"));
    assertEquals(new ServerLine.Retry(ErrorCode.NAME_TAKEN, ""), ServerLine.parse("C RETRY 409"));
  }

  // ---- what a client accepts ----

  @Test
  void receivedKeywordsMatchWithoutRegardToCase() throws ProtocolException {
    assertEquals(new ServerLine.Ready("alice", 2), ServerLine.parse("C ready alice 2"));
    assertEquals(new ServerLine.SentPublic(7, 3), ServerLine.parse("C Sent pm 7 3"));
    assertEquals(
        new ServerLine.Prompt(ServerLine.PromptKind.TEXT), ServerLine.parse("C prompt text"));
  }

  @Test
  void usersListOfManyNamesParses() throws ProtocolException {
    List<String> names = Stream.iterate(0, i -> i + 1).limit(5000).map(i -> "user" + i).toList();
    ServerLine.Users users = new ServerLine.Users(names);
    assertEquals(users, ServerLine.parse(users.format()));
  }

  @Test
  void usersListIsCopied() {
    List<String> names = new ArrayList<>(List.of("alice"));
    ServerLine.Users users = new ServerLine.Users(names);
    names.add("bob");
    assertEquals(List.of("alice"), users.names());
    assertThrows(UnsupportedOperationException.class, () -> users.names().add("carol"));
  }

  @Test
  void largeSeqNumbersSurvive() throws ProtocolException {
    long seq = 123_456_789_012_345L;
    assertEquals(
        new ServerLine.SentPublic(seq, 1),
        ServerLine.parse(new ServerLine.SentPublic(seq, 1).format()));
    ServerLine delivery =
        new ServerLine.Delivery(ChatMessage.publicMessage(seq, EXAMPLE_MILLIS, "a", "x"));
    assertEquals(delivery, ServerLine.parse(delivery.format()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "C MODE general",
        "C FOO",
        "C MOTD line one",
        // Client-only keywords have no server meaning either.
        "C NICK alice",
        "C PM",
        "C LIST",
        "C EX",
      })
  void unknownKeywordParsesAsUnknownKeptAsItCame(String wire) throws ProtocolException {
    ServerLine line = ServerLine.parse(wire);
    assertInstanceOf(ServerLine.Unknown.class, line);
    assertEquals(wire, line.format());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "hello",
        "c READY alice 1",
        "d PM 1 2026-11-21T10:15:30.123Z a hi",
        "C HELLO",
        "C HELLO ",
        "C PASSWORD",
        "C PASSWORD MAYBE",
        "C READY",
        "C READY alice",
        "C READY alice many",
        "C READY alice -1",
        "C READY alice 3 extra",
        "C RETRY",
        "C RETRY abc name taken",
        "C RETRY 999 no such code",
        "C ERR",
        "C ERR x reason",
        "C ERR 418 teapot",
        "C PROMPT",
        "C PROMPT NAME",
        "C SENT",
        "C SENT PM",
        "C SENT PM 7",
        "C SENT PM x 3",
        "C SENT PM 7 three",
        "C SENT XM 7 3",
        "C SENT DM 7",
        "C USERS",
        "C USERS two alice bob",
        "C USERS 3 alice bob",
        "C USERS 2147483648 alice",
        "C HISTORY",
        "C HISTORY -1",
        "C HISTORY ten",
        "C JOIN",
        "C LEAVE",
        "C SEQ",
        "C SEQ abc",
        "C SEQ abc x",
        "C SEQ abc -1",
        "C SEQ a.b 5",
        "C SEQ 01234567890123456789012345678901234567890123456789012345678901234 5",
        "D ",
        "D PM",
        "D XM 1 2026-11-21T10:15:30.123Z alice hi",
        "D PM x 2026-11-21T10:15:30.123Z alice hi",
        "D PM 1 yesterday alice hi",
        "D PM 1 2026-11-21T10:15:30.123Z",
        "D DM 1 2026-11-21T10:15:30.123Z alice",
      })
  void malformedLineOfAKnownKindThrows(String wire) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> ServerLine.parse(wire));
    assertEquals(ErrorCode.MALFORMED, e.code());
  }

  @Test
  void usersCountFarLargerThanTheLineThrowsInsteadOfAllocating() {
    // A count is not trusted as a size: 2^31-1 names cannot fit in a line of a few bytes.
    ProtocolException e =
        assertThrows(
            ProtocolException.class, () -> ServerLine.parse("C USERS 2147483647 alice bob"));
    assertEquals(ErrorCode.MALFORMED, e.code());
  }

  @Test
  void anEpochIsOneToSixtyFourLettersDigitsUnderscoresOrHyphens() {
    assertTrue(ServerLine.Seq.isEpoch("a"));
    assertTrue(ServerLine.Seq.isEpoch("A-z_09".repeat(10) + "abcd"));
    assertFalse(ServerLine.Seq.isEpoch(""));
    assertFalse(ServerLine.Seq.isEpoch("x".repeat(65)));
    assertFalse(ServerLine.Seq.isEpoch("a b"));
    assertFalse(ServerLine.Seq.isEpoch("\u00e9"));
    assertThrows(IllegalArgumentException.class, () -> new ServerLine.Seq("a b", 1));
  }
}
