package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The lines of protocol section 12 (rooms) in both directions, and the room-name rule. */
class RoomLinesTest {
  private static final long EXAMPLE_MILLIS = 1_795_256_130_123L;

  // ---- room names ----

  @ParameterizedTest
  @ValueSource(strings = {"#main", "#a", "#Rust", "#lab-3_b", "#0123456789012345678901234567890a"})
  void validRoomNames(String room) {
    assertNull(RoomNames.problem(room));
    assertTrue(RoomNames.isRoomWord(room));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "#",
        "main",
        "##a",
        "#a.b",
        "#caf\u00e9",
        "#a b",
        "#0123456789012345678901234567890ab",
        "a#b"
      })
  void invalidRoomNamesSayWhy(String room) {
    assertFalse(RoomNames.isValid(room));
  }

  @Test
  void roomNamesCompareWithoutCase() {
    assertEquals(RoomNames.key("#Rust"), RoomNames.key("#rUST"));
    assertTrue(RoomNames.isMain("#MAIN"));
    assertFalse(RoomNames.isMain("#mains"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"JOIN", "part", "Rooms", "topic"})
  void roomKeywordsAreReservedNames(String name) {
    assertEquals(name + " is a protocol keyword", Names.problem(name));
  }

  // ---- client lines ----

  static Stream<Arguments> clientLines() {
    return Stream.of(
        Arguments.of(new ClientLine.Join("#rust"), "C JOIN #rust"),
        Arguments.of(new ClientLine.Part("#Rust"), "C PART #Rust"),
        Arguments.of(new ClientLine.Rooms(), "C ROOMS"),
        Arguments.of(new ClientLine.Topic("#rust", null), "C TOPIC #rust"),
        Arguments.of(
            new ClientLine.Topic("#rust", "borrow  checker  day"),
            "C TOPIC #rust borrow  checker  day"),
        Arguments.of(new ClientLine.PublicMessage("#rust"), "C PM #rust"),
        Arguments.of(new ClientLine.PublicMessage(), "C PM"),
        Arguments.of(new ClientLine.ListUsers("#rust"), "C LIST #rust"),
        Arguments.of(new ClientLine.ListUsers(), "C LIST"),
        Arguments.of(new ClientLine.ChatHistory(OptionalInt.empty(), "#rust"), "C CH #rust"),
        Arguments.of(new ClientLine.ChatHistory(OptionalInt.of(5), "#rust"), "C CH #rust 5"),
        Arguments.of(new ClientLine.ChatHistory(OptionalInt.of(5)), "C CH 5"),
        Arguments.of(new ClientLine.ChatHistorySince(7, 1000, "#rust"), "C CH #rust SINCE 7 1000"),
        Arguments.of(new ClientLine.ChatHistorySince(7, 3), "C CH SINCE 7 3"),
        Arguments.of(new ClientLine.Seq("#rust"), "C SEQ #rust"),
        Arguments.of(new ClientLine.Seq(), "C SEQ"),
        Arguments.of(new ClientLine.Seq("#main"), "C SEQ #main"));
  }

  @ParameterizedTest
  @MethodSource("clientLines")
  void clientLinesFormatAndParseBack(ClientLine line, String wire) throws ProtocolException {
    assertEquals(wire, line.format());
    assertEquals(line, ClientLine.parse(wire));
  }

  @Test
  void clientRoomLinesAcceptAnyCaseAndTrailingSpaces() throws ProtocolException {
    assertEquals(new ClientLine.Join("#r"), ClientLine.parse("C join #r  "));
    assertEquals(new ClientLine.Rooms(), ClientLine.parse("C rooms "));
    assertEquals(
        new ClientLine.ChatHistorySince(3, 1000, "#r"), ClientLine.parse("C ch #r since 3"));
    assertEquals(new ClientLine.Topic("#r", null), ClientLine.parse("C TOPIC #r   "));
    assertEquals(new ClientLine.Topic("#r", " x"), ClientLine.parse("C TOPIC #r  x"));
  }

  @Test
  void aRequiredRoomWordIsLeftToTheServerWhenMissingOrInvalid() throws ProtocolException {
    // Section 12: where the word is required, missing or invalid is 422, the server's answer.
    assertEquals(new ClientLine.Join(""), ClientLine.parse("C JOIN"));
    assertEquals(new ClientLine.Join("rust"), ClientLine.parse("C JOIN rust"));
    assertEquals(new ClientLine.Part("#a.b"), ClientLine.parse("C PART #a.b"));
    assertEquals(new ClientLine.Topic("", null), ClientLine.parse("C TOPIC"));
    assertEquals(new ClientLine.Topic("rust", "hi"), ClientLine.parse("C TOPIC rust hi"));
  }

  @Test
  void anOptionalRoomWordIsOnlyAWordThatStartsWithAHash() throws ProtocolException {
    assertEquals(new ClientLine.PublicMessage("#a.b"), ClientLine.parse("C PM #a.b"));
    assertEquals(new ClientLine.ListUsers("#"), ClientLine.parse("C LIST #"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "C PM x",
        "C PM hello",
        "C pm x",
        "C LIST x",
        "C LIST all",
        "C SEQ x",
        "C PM #a b",
        "C LIST #a #b",
        "C SEQ #a 5",
        "C JOIN #a #b",
        "C PART #a b",
        "C JOIN  #a",
        "C TOPIC  #a",
        "C TOPIC  #a text",
        "C ROOMS all",
        "C CH #a x",
        "C CH #a SINCE",
        "C CH #a SINCE x",
        "C CH #a 5 6",
      })
  void aLineOfTheWrongShapeIs400(String wire) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> ClientLine.parse(wire));
    assertEquals(ErrorCode.MALFORMED, e.code());
  }

  @Test
  void aTopicOfMoreThan300CharactersIs400() throws ProtocolException {
    String max = "\u00e9".repeat(ClientLine.Topic.MAX_LENGTH);
    assertEquals(new ClientLine.Topic("#r", max), ClientLine.parse("C TOPIC #r " + max));
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> ClientLine.parse("C TOPIC #r " + max + "x"));
    assertEquals(ErrorCode.MALFORMED, e.code());
  }

  // ---- server lines ----

  static Stream<Arguments> serverLines() {
    return Stream.of(
        Arguments.of(new ServerLine.Joined("#rust", "e1-x", 0, 1), "C JOINED #rust e1-x 0 1"),
        Arguments.of(new ServerLine.Joined("#Rust", "e", 42, 7), "C JOINED #Rust e 42 7"),
        Arguments.of(new ServerLine.Parted("#rust"), "C PARTED #rust"),
        Arguments.of(new ServerLine.Rooms(List.of()), "C ROOMS 0"),
        Arguments.of(new ServerLine.Rooms(List.of("#a", "#B", "#c")), "C ROOMS 3 #a #B #c"),
        Arguments.of(new ServerLine.SentPublic(5, 2, "#rust"), "C SENT PM #rust 5 2"),
        Arguments.of(new ServerLine.SentPublic(5, 2), "C SENT PM 5 2"),
        Arguments.of(new ServerLine.Users(List.of("a", "b"), "#rust"), "C USERS #rust 2 a b"),
        Arguments.of(new ServerLine.Users(List.of(), "#rust"), "C USERS #rust 0"),
        Arguments.of(new ServerLine.History(3, "#main"), "C HISTORY #main 3"),
        Arguments.of(new ServerLine.History(3), "C HISTORY 3"),
        Arguments.of(new ServerLine.Seq("ep", 9, "#rust"), "C SEQ #rust ep 9"),
        Arguments.of(new ServerLine.Topic("#rust", null, null), "C TOPIC #rust"),
        Arguments.of(
            new ServerLine.Topic("#rust", "alice", "borrow  checker"),
            "C TOPIC #rust alice borrow  checker"),
        Arguments.of(new ServerLine.Join("bob", "#rust"), "C JOIN #rust bob"),
        Arguments.of(new ServerLine.Join("bob"), "C JOIN bob"),
        Arguments.of(new ServerLine.Part("bob", "#rust"), "C PART #rust bob"),
        Arguments.of(ServerLine.Error.of(ErrorCode.NOT_IN_ROOM), "C ERR 403 not in that room"),
        Arguments.of(ServerLine.Error.of(ErrorCode.TOO_MANY_ROOMS), "C ERR 405 too many rooms"),
        Arguments.of(
            new ServerLine.Delivery(
                ChatMessage.roomMessage("#rust", 12, EXAMPLE_MILLIS, "alice", "hi  there")),
            "D PM #rust 12 2026-11-21T10:15:30.123Z alice hi  there"),
        Arguments.of(
            new ServerLine.Delivery(
                ChatMessage.publicMessage(12, EXAMPLE_MILLIS, "alice", "#rust is fun")),
            "D PM 12 2026-11-21T10:15:30.123Z alice #rust is fun"));
  }

  @ParameterizedTest
  @MethodSource("serverLines")
  void serverLinesFormatAndParseBack(ServerLine line, String wire) throws ProtocolException {
    assertEquals(wire, line.format());
    assertEquals(line, ServerLine.parse(wire));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "C JOINED rust e 0 1",
        "C JOINED #rust e 0",
        "C JOINED #rust e.x 0 1",
        "C PARTED",
        "C PARTED #a.b",
        "C ROOMS",
        "C ROOMS 2 #a",
        "C TOPIC",
        "C TOPIC #",
        "C PART #r",
        "C PART r bob",
        "C SEQ #r",
        "C SEQ #a.b e 1",
        "C SENT PM #r 5",
        "C HISTORY #r",
        "D PM #r 5",
        "D PM #r.x 5 2026-11-21T10:15:30.123Z a b"
      })
  void malformedServerRoomLinesThrow(String wire) {
    assertThrows(ProtocolException.class, () -> ServerLine.parse(wire));
  }

  @Test
  void aDmInARoomIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ChatMessage(1, 0, MessageKind.DM, "a", "b", "x", "#r"));
    ChatMessage dm = ChatMessage.directMessage(1, 0, "a", "b", "x");
    assertEquals(dm, dm.inRoom("#main"));
    assertEquals("#main", ChatMessage.publicMessage(1, 0, "a", "x").inRoom("#main").room());
  }
}
