package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.client.InputTranslator.Explain;
import dev.parley.client.InputTranslator.Ignore;
import dev.parley.client.InputTranslator.Send;
import dev.parley.client.InputTranslator.Translation;
import dev.parley.protocol.ClientLine;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class InputTranslatorTest {
  private static Translation translate(String typed) {
    return InputTranslator.translate(typed);
  }

  /** The wire line a typed line is sent as, or what is shown instead. */
  private static String outcome(String typed) {
    Translation t = translate(typed);
    if (t instanceof Send send) {
      return "send " + send.line().format();
    } else if (t instanceof Explain explain) {
      return "explain " + explain.text();
    }
    return "ignore";
  }

  @Test
  void commandsAreSentAsTyped() {
    assertEquals(new Send(new ClientLine.PublicMessage()), translate("C PM"));
    assertEquals(new Send(new ClientLine.DirectMessage()), translate("C DM"));
    assertEquals(new Send(new ClientLine.ListUsers()), translate("C LIST"));
    assertEquals(new Send(new ClientLine.ChatHistory(OptionalInt.empty())), translate("C CH"));
    assertEquals(new Send(new ClientLine.ChatHistory(OptionalInt.of(50))), translate("C CH 50"));
    assertEquals(new Send(new ClientLine.Exit()), translate("C EX"));
    assertEquals(new Send(new ClientLine.Ping("t1")), translate("C PING t1"));
  }

  @Test
  void keywordsMayBeTypedInAnyCase() {
    assertEquals("send C PM", outcome("C pm"));
    assertEquals("send C LIST", outcome("C List"));
  }

  @Test
  void dataLinesKeepTheirTextExactly() {
    assertEquals(new Send(new ClientLine.Text("hello  world\t!")), translate("D hello  world\t!"));
    assertEquals(new Send(new ClientLine.Text("")), translate("D "));
  }

  @Test
  void aWordAfterCIsARecipient() {
    assertEquals(new Send(new ClientLine.Recipient("alice")), translate("C alice"));
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
  void plainTextIsExplainedAndNotSent() {
    assertEquals(
        "explain ! not sent: commands start with 'C ' (C PM, C DM, C LIST, C CH [n], C EX);"
            + " message text starts with 'D '",
        outcome("hello everyone"));
    assertEquals(outcome("hello everyone"), outcome("D"));
    assertEquals(outcome("hello everyone"), outcome("C"));
    assertEquals(outcome("hello everyone"), outcome("/pm hi"));
  }

  @Test
  void lowerCaseMarkersAreExplained() {
    assertEquals(
        "explain ! not sent: 'C' and 'D' are upper case (C PM, then D <text>)", outcome("c pm"));
    assertEquals(
        "explain ! not sent: 'C' and 'D' are upper case (C PM, then D <text>)", outcome("d hi"));
  }

  @Test
  void unknownCommandsAreExplained() {
    assertEquals(
        "explain ! not sent: unknown command FOO (commands: C PM, C DM, C LIST, C CH [n], C EX)",
        outcome("C FOO bar"));
  }

  @Test
  void aMissingCommandWordIsExplained() {
    assertEquals(
        "explain ! not sent: a command is one word after 'C ' (C PM, C DM, C LIST, C CH [n],"
            + " C EX)",
        outcome("C  PM"));
    assertEquals(outcome("C  PM"), outcome("C "));
  }

  @Test
  void argumentsWhereNoneBelongAreExplained() {
    assertEquals(
        "explain ! not sent: C PM takes no arguments - type C PM, then D <text>",
        outcome("C PM hello"));
    assertEquals(
        "explain ! not sent: C DM takes no arguments - type C DM, then C <name>, then D <text>",
        outcome("C DM alice hi"));
    assertEquals("explain ! not sent: C LIST takes no arguments", outcome("C LIST all"));
    assertEquals("explain ! not sent: C EX takes no arguments", outcome("C EX now"));
  }

  @Test
  void aHistoryCountMustBeANumber() {
    assertEquals(
        "explain ! not sent: C CH takes a number of messages, e.g. C CH 50", outcome("C CH many"));
    assertEquals(
        "explain ! not sent: C CH takes a number of messages, e.g. C CH 50", outcome("C CH -5"));
  }
}
