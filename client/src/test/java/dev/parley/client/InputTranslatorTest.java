package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.InputTranslator.Explain;
import dev.parley.client.InputTranslator.Ignore;
import dev.parley.client.InputTranslator.Send;
import dev.parley.client.InputTranslator.Translation;
import dev.parley.protocol.ClientLine;
import dev.parley.protocol.LineDecoder;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class InputTranslatorTest {
  private static Translation translate(String typed) {
    return InputTranslator.translate(typed);
  }

  /** The wire lines a typed line is sent as (joined by " | "), or what is shown instead. */
  private static String outcome(String typed) {
    return outcome(typed, new JoinedRooms());
  }

  private static Send protocol(ClientLine line) {
    return new Send(List.of(line), false);
  }

  @Test
  void protocolCommandsAreSentAsTyped() {
    assertEquals(protocol(new ClientLine.PublicMessage()), translate("C PM"));
    assertEquals(protocol(new ClientLine.DirectMessage()), translate("C DM"));
    assertEquals(protocol(new ClientLine.ListUsers()), translate("C LIST"));
    assertEquals(protocol(new ClientLine.ChatHistory(OptionalInt.empty())), translate("C CH"));
    assertEquals(protocol(new ClientLine.ChatHistory(OptionalInt.of(50))), translate("C CH 50"));
    assertEquals(protocol(new ClientLine.Exit()), translate("C EX"));
    assertEquals(protocol(new ClientLine.Ping("t1")), translate("C PING t1"));
  }

  @Test
  void keywordsMayBeTypedInAnyCase() {
    assertEquals("send C PM", outcome("C pm"));
    assertEquals("send C LIST", outcome("C List"));
  }

  @Test
  void dataLinesKeepTheirTextExactly() {
    assertEquals(protocol(new ClientLine.Text("hello  world\t!")), translate("D hello  world\t!"));
    assertEquals(protocol(new ClientLine.Text("")), translate("D "));
  }

  @Test
  void aWordAfterCIsARecipient() {
    assertEquals(protocol(new ClientLine.Recipient("alice")), translate("C alice"));
  }

  @Test
  void stateIsLeftToTheServer() {
    // A D line with no C PM pending parses, so it is sent; the server answers C ERR 412.
    assertEquals("send D stray", outcome("D stray"));
    assertEquals("send C NICK other", outcome("C NICK other"));
  }

  @Test
  void emptyLinesAreIgnored() {
    assertEquals(new Ignore(), translate(""));
    assertEquals(new Ignore(), translate("   "));
  }

  @Test
  void plainTextIsAPublicMessage() {
    assertEquals(
        new Send(List.of(new ClientLine.PublicMessage(), new ClientLine.Text("hello all")), true),
        translate("hello all"));
    assertEquals("send C PM | D c u later", outcome("c u later"));
    assertEquals("send C PM | D D", outcome("D"));
    assertEquals("send C PM | D  leading space", outcome(" leading space"));
  }

  @Test
  void chatCommandsBecomeTheirProtocolLines() {
    assertEquals("send C DM | C alice | D hi there", outcome("/msg alice hi there"));
    assertEquals("send C DM | C alice | D hi", outcome("/dm alice hi"));
    assertEquals("send C LIST", outcome("/list"));
    assertEquals("send C LIST", outcome("/who"));
    assertEquals("send C CH", outcome("/history"));
    assertEquals("send C CH 50", outcome("/history 50"));
    assertEquals("send C EX", outcome("/quit"));
    assertEquals("send C PM | D /not a command", outcome("//not a command"));
    assertEquals("explain " + InputTranslator.HELP, outcome("/help"));
  }

  @Test
  void chatCommandsAreMarkedSoTheirPromptsAreNotShown() {
    assertEquals(true, ((Send) translate("/msg alice hi")).byCommand());
    assertEquals(false, ((Send) translate("C DM")).byCommand());
  }

  @Test
  void badChatCommandsAreRefusedWithTheReason() {
    assertEquals(
        "refuse ! not sent: unknown command /pm - /help lists the commands", outcome("/pm hi"));
    assertEquals("refuse ! not sent: usage: /msg <name> <text>", outcome("/msg alice"));
    assertEquals("refuse ! not sent: 'a!ice' is not a user name", outcome("/msg a!ice hello"));
    assertEquals(
        "refuse ! not sent: usage: /history [n], n a number from 1 to 1000",
        outcome("/history lots"));
    assertEquals(
        "refuse ! not sent: usage: /history [n], n a number from 1 to 1000", outcome("/history 0"));
  }

  @Test
  void aLineTooLongForTheServerIsRefusedWholeNeverCut() {
    String fits = "x".repeat(LineDecoder.DEFAULT_MAX_LINE_BYTES - 2); // "D " + text = 4096 bytes
    assertEquals("send C PM | D " + fits, outcome(fits));
    assertEquals(
        "refuse ! not sent: the line is 4097 bytes and the server takes at most 4096 - shorten it"
            + " or split it",
        outcome(fits + "y"));
    // Bytes, not characters: 2,000 two-byte letters are 4,002 bytes on the wire.
    assertEquals("send C PM | D " + "é".repeat(2047), outcome("é".repeat(2047)));
    assertEquals(
        "refuse ! not sent: the line is 4098 bytes and the server takes at most 4096 - shorten it"
            + " or split it",
        outcome("é".repeat(2048)));
  }

  @Test
  void unknownProtocolCommandsAreExplained() {
    assertEquals(
        "refuse ! not sent: unknown command FOO (commands: C PM, C DM, C LIST, C CH [n], C EX)",
        outcome("C FOO bar"));
  }

  @Test
  void aMissingCommandWordIsExplained() {
    assertEquals(
        "refuse ! not sent: a command is one word after 'C ' (C PM, C DM, C LIST, C CH [n],"
            + " C EX)",
        outcome("C  PM"));
    assertEquals(outcome("C  PM"), outcome("C "));
  }

  @Test
  void argumentsWhereNoneBelongAreExplained() {
    assertEquals(
        "refuse ! not sent: C PM takes no arguments - type C PM, then D <text>",
        outcome("C PM hello"));
    assertEquals(
        "refuse ! not sent: C DM takes no arguments - type C DM, then C <name>, then D <text>",
        outcome("C DM alice hi"));
    assertEquals("refuse ! not sent: C LIST takes no arguments", outcome("C LIST all"));
    assertEquals("refuse ! not sent: C EX takes no arguments", outcome("C EX now"));
  }

  @Test
  void aHistoryCountMustBeANumber() {
    assertEquals(
        "refuse ! not sent: C CH takes a number of messages, e.g. C CH 50", outcome("C CH many"));
    assertEquals(
        "refuse ! not sent: C CH takes a number of messages, e.g. C CH 50", outcome("C CH -5"));
  }

  /** The rooms of a connection that joined #rust (current) and #go. */
  private static JoinedRooms inRust() {
    JoinedRooms rooms = new JoinedRooms();
    rooms.joined("#go");
    rooms.joined("#rust");
    return rooms;
  }

  /** As {@link #outcome(String)}, for a connection in {@code rooms}; a switch says where to. */
  private static String outcome(String typed, JoinedRooms rooms) {
    Translation t = InputTranslator.translate(typed, rooms);
    if (t instanceof Send send) {
      return "send "
          + send.lines().stream().map(ClientLine::format).collect(Collectors.joining(" | "));
    } else if (t instanceof Explain explain) {
      return (explain.refused() ? "refuse " : "explain ") + explain.text();
    } else if (t instanceof InputTranslator.Switch sw) {
      return "switch " + sw.room();
    }
    return "ignore";
  }

  @Test
  void plainTextListAndHistoryGoToTheCurrentRoom() {
    assertEquals("send C PM #rust | D hello", outcome("hello", inRust()));
    assertEquals("send C PM #rust | D /not a command", outcome("//not a command", inRust()));
    assertEquals("send C LIST #rust", outcome("/list", inRust()));
    assertEquals("send C CH #rust 5", outcome("/history 5", inRust()));
    assertEquals("send C CH #rust", outcome("/history", inRust()));
  }

  @Test
  void inMainTheLinesKeepTheirOldFormWithoutARoomWord() {
    assertEquals("send C PM | D hello", outcome("hello"));
    assertEquals("send C LIST", outcome("/list"));
    assertEquals("send C CH 5", outcome("/history 5"));
  }

  @Test
  void roomCommandsBecomeSectionTwelveLines() {
    assertEquals("send C JOIN #Rust", outcome("/join #Rust"));
    assertEquals("send C PART #rust", outcome("/part", inRust()));
    assertEquals("send C PART #go", outcome("/part #go", inRust()));
    assertEquals("send C ROOMS", outcome("/rooms"));
    assertEquals("send C TOPIC #rust", outcome("/topic", inRust()));
    assertEquals("send C TOPIC #rust borrow checks", outcome("/topic borrow checks", inRust()));
  }

  @Test
  void aBadRoomNameIsRefusedBeforeSending() {
    assertEquals("refuse ! not sent: usage: /join #room", outcome("/join"));
    assertEquals(
        "refuse ! not sent: 'rust': a room name starts with #, like #main", outcome("/join rust"));
    assertEquals("refuse ! not sent: usage: /join #room", outcome("/join #a #b"));
  }

  @Test
  void switchMovesAmongJoinedRoomsOnlyAndKeepsTheServersSpelling() {
    assertEquals("switch #go", outcome("/switch #GO", inRust()));
    assertEquals("switch #main", outcome("/go #main", inRust()));
    assertEquals(
        "refuse ! not sent: you are not in #java - /join #java first (/rooms lists the rooms)",
        outcome("/switch #java", inRust()));
  }

  @Test
  void helpListsTheRoomCommands() {
    String help = ((Explain) translate("/help")).text();
    for (String command : List.of("/join", "/part", "/switch", "/rooms", "/topic")) {
      assertTrue(help.contains(command), command);
    }
  }
}
