package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The stamped chat message: a PM has no recipient, a DM has exactly one. */
class ChatMessageTest {

  @Test
  void publicMessageHasNoRecipient() {
    ChatMessage m = ChatMessage.publicMessage(7, 1000, "alice", "hi");
    assertEquals(MessageKind.PM, m.kind());
    assertNull(m.to());
    assertTrue(m.isPublic());
    assertEquals(new ChatMessage(7, 1000, MessageKind.PM, "alice", null, "hi"), m);
  }

  @Test
  void directMessageHasItsRecipient() {
    ChatMessage m = ChatMessage.directMessage(8, 2000, "alice", "bob", "psst");
    assertEquals(MessageKind.DM, m.kind());
    assertEquals("bob", m.to());
    assertFalse(m.isPublic());
    assertEquals(new ChatMessage(8, 2000, MessageKind.DM, "alice", "bob", "psst"), m);
  }

  @Test
  void publicMessageWithARecipientIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ChatMessage(1, 0, MessageKind.PM, "alice", "bob", "x"));
  }

  @Test
  void directMessageWithoutARecipientIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ChatMessage(1, 0, MessageKind.DM, "alice", null, "x"));
  }

  @Test
  void missingKindSenderOrTextIsRefused() {
    assertThrows(NullPointerException.class, () -> new ChatMessage(1, 0, null, "a", null, "x"));
    assertThrows(NullPointerException.class, () -> ChatMessage.publicMessage(1, 0, null, "x"));
    assertThrows(NullPointerException.class, () -> ChatMessage.publicMessage(1, 0, "a", null));
  }
}
