package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Fuzzes the room-name rule and the room words of protocol section 12 against a plain model. The
 * checked-in inputs under {@code RoomWordFuzzTestInputs/} run in every build; {@code JAZZER_FUZZ=1}
 * searches for more (DEVELOPING.md "Fuzzing"). Invariants, for any word:
 *
 * <ul>
 *   <li>{@link RoomNames#isValid} agrees with the rule written as a regular expression, and the key
 *       of a valid name is its lower-case form;
 *   <li>as the optional room word of {@code C PM}, {@code C LIST}, {@code C SEQ} and {@code C CH},
 *       a word that starts with {@code #} (and holds no space) is taken as the room, kept as sent,
 *       and anything else is 400; never another exception;
 *   <li>as the required room word of {@code C JOIN}, {@code C PART} and {@code C TOPIC}, a word
 *       without a space is kept as sent (the server answers 422 when it is no room name).
 * </ul>
 */
class RoomWordFuzzTest {
  private static final Pattern ROOM = Pattern.compile("#[A-Za-z0-9_-]{1,32}");

  @FuzzTest(maxDuration = "2m")
  void roomWordsParseLikeTheModel(byte[] input) throws ProtocolException {
    String word = new String(input, StandardCharsets.UTF_8);

    boolean valid = ROOM.matcher(word).matches();
    assertEquals(valid, RoomNames.isValid(word), "valid: " + word);
    if (valid) {
      assertEquals(word.toLowerCase(Locale.ROOT), RoomNames.key(word));
    }

    boolean oneWord = !word.isEmpty() && word.indexOf(' ') < 0 && word.indexOf('\n') < 0;
    boolean roomWord = oneWord && word.startsWith("#");
    // Trailing spaces are stripped before the words are read; a word ending in one is not "one".
    if (roomWord) {
      assertEquals(new ClientLine.PublicMessage(word), ClientLine.parse("C PM " + word));
      assertEquals(new ClientLine.ListUsers(word), ClientLine.parse("C LIST " + word));
      assertEquals(new ClientLine.Seq(word), ClientLine.parse("C SEQ " + word));
      assertEquals(
          new ClientLine.ChatHistory(OptionalInt.of(3), word),
          ClientLine.parse("C CH " + word + " 3"));
      assertEquals(
          new ClientLine.ChatHistorySince(4, 1000, word),
          ClientLine.parse("C CH " + word + " SINCE 4"));
    } else if (oneWord) {
      for (String keyword : new String[] {"PM", "LIST", "SEQ"}) {
        ProtocolException e =
            assertThrows(
                ProtocolException.class, () -> ClientLine.parse("C " + keyword + " " + word));
        assertEquals(ErrorCode.MALFORMED, e.code(), keyword + " " + word);
      }
    }
    if (oneWord) {
      assertEquals(new ClientLine.Join(word), ClientLine.parse("C JOIN " + word));
      assertEquals(new ClientLine.Part(word), ClientLine.parse("C PART " + word));
      assertEquals(
          new ClientLine.Topic(word, "a  b"), ClientLine.parse("C TOPIC " + word + " a  b"));
    }
    if (valid) {
      // Every server line that carries the room reads it back.
      for (ServerLine line :
          new ServerLine[] {
            new ServerLine.Joined(word, "e", 1, 2),
            new ServerLine.Parted(word),
            new ServerLine.Topic(word, "a", "b c"),
            new ServerLine.Join("bob", word),
            new ServerLine.Part("bob", word),
            new ServerLine.SentPublic(1, 2, word),
            new ServerLine.Seq("e", 3, word),
            new ServerLine.History(4, word),
            new ServerLine.Delivery(ChatMessage.roomMessage(word, 5, 0, "a", "b"))
          }) {
        assertEquals(line, ServerLine.parse(line.format()));
      }
    } else if (roomWord) {
      // A server that names an invalid room is malformed, never mistaken for another line.
      assertThrows(ProtocolException.class, () -> ServerLine.parse("C PARTED " + word));
      assertThrows(ProtocolException.class, () -> ServerLine.parse("C JOIN " + word + " bob"));
    }
  }
}
