package dev.parley.server.classroom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The lines of section 9 of the protocol, to the character. */
class ClassroomTextTest {

  @Test
  void theServerPrintsTheAssignmentSheetsLines() {
    assertEquals(
        "The server is waiting to receive two connections....",
        ClassroomText.WAITING_FOR_CONNECTIONS);
    assertEquals("Accepted first connection, calling it client X", ClassroomText.accepted(Label.X));
    assertEquals(
        "Accepted second connection, calling it client Y", ClassroomText.accepted(Label.Y));
    assertEquals(
        "Waiting to receive messages from client X and client Y....",
        ClassroomText.WAITING_FOR_MESSAGES);
    assertEquals("Sent acknowledgment to both X and Y", ClassroomText.ACKNOWLEDGMENT_SENT);
    assertEquals("Done.", ClassroomText.DONE);
  }

  @Test
  void eachClientIsToldItsLabel() {
    assertEquals("Client X connected", ClassroomText.connected(Label.X));
    assertEquals("Client Y connected", ClassroomText.connected(Label.Y));
  }

  @Test
  void theAcknowledgmentDropsEachSendersOwnLabel() {
    assertEquals(
        "X: Alice received before Y: Bob",
        ClassroomText.acknowledgment(Label.X, "Client X: Alice", Label.Y, "Client Y: Bob"));
    assertEquals(
        "Y: Bob received before X: Alice",
        ClassroomText.acknowledgment(Label.Y, "Client Y: Bob", Label.X, "Alice"));
  }

  @Test
  void aLabelThatIsNotTheSendersOwnIsKept() {
    assertEquals("Client Y: Bob", ClassroomText.withoutLabel(Label.X, "Client Y: Bob"));
    assertEquals("Client X:Alice", ClassroomText.withoutLabel(Label.X, "Client X:Alice"));
  }

  @Test
  void relayedTextIsShownExactlyAsSentLabelIncluded() {
    assertEquals("X: Client X: hi", ClassroomText.relayed(Label.X, "Client X: hi"));
    assertEquals("Y: Bye now", ClassroomText.relayed(Label.Y, "Bye now"));
    assertEquals("Bye", ClassroomText.BYE);
    assertEquals("Client Y disconnected", ClassroomText.disconnected(Label.Y));
  }
}
