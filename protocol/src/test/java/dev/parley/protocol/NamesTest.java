package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The user-name rule (protocol section 2) and the case-folded key names are unique under. */
class NamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "Z",
        "0",
        "_",
        "-",
        "alice",
        "Alice_Bob-99",
        "abcdefghijklmnopqrstuvwxyz012345", // 32 characters
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_9876",
        // Server-only keywords are not reserved; only the client's command words are.
        "READY",
        "hello",
        "Err",
        "users",
        // Words that merely contain a keyword.
        "pmx",
        "nick2",
        "LISTS",
        "_ex"
      })
  void namesOfAllowedCharactersAreAccepted(String name) {
    assertNull(Names.problem(name));
    assertTrue(Names.isValid(name));
  }

  @Test
  void maxLengthIs32() {
    assertEquals(32, Names.MAX_LENGTH);
    assertTrue(Names.isValid("x".repeat(32)));
    assertFalse(Names.isValid("x".repeat(33)));
  }

  @ParameterizedTest
  @NullAndEmptySource
  void missingNameIsRefused(String name) {
    assertEquals("a name is required", Names.problem(name));
    assertFalse(Names.isValid(name));
  }

  @Test
  void nameOver32CharactersIsRefused() {
    assertEquals("a name has at most 32 characters", Names.problem("x".repeat(33)));
    assertEquals("a name has at most 32 characters", Names.problem("x".repeat(1000)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "al ice",
        " alice",
        "alice ",
        "alice!",
        "ali.ce",
        "a@b",
        "a\tb",
        "a/b",
        "caf\u00e9", // é
        "\u0130stanbul", // İ, which lower-cases to two characters
        "\uff41", // FULLWIDTH a
        "\u0663", // ARABIC-INDIC DIGIT THREE
        "\ud83d\ude00", // emoji
        "a\u0000b"
      })
  void nameWithACharacterOutsideTheAllowedSetIsRefused(String name) {
    assertEquals("a name uses only A-Z a-z 0-9 _ -", Names.problem(name));
    assertFalse(Names.isValid(name));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "PM", "pm", "Pm", "DM", "dm", "EX", "ex", "eX", "LIST", "list", "LiSt", "CH", "ch", "PING",
        "ping", "PONG", "Pong", "NICK", "nick", "PASS", "pass", "SEQ", "Seq"
      })
  void protocolKeywordInAnyCaseIsRefused(String name) {
    assertEquals(name + " is a protocol keyword", Names.problem(name));
    assertFalse(Names.isValid(name));
  }

  @Test
  void keyFoldsCase() {
    assertEquals("alice", Names.key("Alice"));
    assertEquals("alice", Names.key("ALICE"));
    assertEquals("alice", Names.key("alice"));
    assertEquals(Names.key("Bob_Smith-2"), Names.key("bOB_sMITH-2"));
    assertEquals("bob_smith-2", Names.key("Bob_Smith-2"));
  }

  @Test
  void keyKeepsNamesThatDifferApartDifferent() {
    assertFalse(Names.key("alice").equals(Names.key("alice_")));
    assertFalse(Names.key("al-ice").equals(Names.key("al_ice")));
  }

  @Test
  void keyDoesNotDependOnTheDefaultLocale() {
    // In a Turkish locale "I".toLowerCase() is a dotless i; names must still fold to ASCII.
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      assertEquals("title", Names.key("TITLE"));
      assertEquals(Names.key("iris"), Names.key("IRIS"));
    } finally {
      Locale.setDefault(saved);
    }
  }
}
