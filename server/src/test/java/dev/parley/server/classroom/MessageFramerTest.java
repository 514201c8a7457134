package dev.parley.server.classroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageFramerTest {

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Every message the framer yields for {@code input}, fed in pieces split at {@code cuts}. */
  private static List<String> frame(MessageFramer framer, byte[] input, int... cuts) {
    List<String> messages = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : input.length;
      ByteBuffer piece = ByteBuffer.wrap(input, from, to - from);
      String m;
      while ((m = framer.next(piece)) != null) {
        messages.add(m);
      }
      assertFalse(piece.hasRemaining(), "next() returned null with bytes left");
      from = to;
    }
    return messages;
  }

  @Test
  void aMessageEndsAtLfAndOneCrBeforeItIsDropped() {
    MessageFramer framer = new MessageFramer(4096);
    assertEquals(
        List.of("Client X: Alice", "Client Y: Bob", "tab\there\r"),
        frame(
            framer,
            "Client X: Alice\nClient Y: Bob\r\ntab\there\r\r\n".getBytes(StandardCharsets.UTF_8)));
    assertFalse(framer.hasPartial());
  }

  @Test
  void theSameInputSplitAtEveryByteGivesTheSameMessages() {
    byte[] input = "Client X: Ålice\r\nsecond\n\nthird\r\n".getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= input.length; cut++) {
      assertEquals(
          List.of("Client X: Ålice", "second", "third"),
          frame(new MessageFramer(4096), input, cut),
          "split at " + cut);
    }
  }

  @Test
  void bytesWithNoLineEndAreKeptUntilTheQuietPeriodEndsThem() {
    MessageFramer framer = new MessageFramer(4096);
    assertNull(framer.next(bytes("Client X: ")));
    assertNull(framer.next(bytes("Alice")));
    assertTrue(framer.hasPartial());
    assertEquals("Client X: Alice", framer.endByQuietPeriod());
    assertFalse(framer.hasPartial());
    assertNull(framer.endByQuietPeriod());
  }

  @Test
  void aTrailingCrIsDroppedFromAMessageEndedByTheQuietPeriod() {
    MessageFramer framer = new MessageFramer(4096);
    framer.next(bytes("Bye\r"));
    assertEquals("Bye", framer.endByQuietPeriod());
  }

  @Test
  void bytesAfterAMessageStayInTheBufferForTheCaller() {
    MessageFramer framer = new MessageFramer(4096);
    ByteBuffer in = bytes("first\nsecond");
    assertEquals("first", framer.next(in));
    assertEquals("second", StandardCharsets.UTF_8.decode(in).toString());
    assertFalse(framer.hasPartial());
  }

  @Test
  void emptyMessagesAreSkipped() {
    MessageFramer framer = new MessageFramer(4096);
    ByteBuffer in = bytes("\n\r\n\nhello\n");
    assertEquals("hello", framer.next(in));
    assertNull(framer.next(bytes("\r\n")));
    assertFalse(framer.hasPartial());
  }

  @Test
  void aMessageLongerThanTheLimitIsCutAndTheNextOneIsWhole() {
    MessageFramer framer = new MessageFramer(16);
    String longLine = "0123456789abcdefTHE REST IS DROPPED";
    assertEquals(
        List.of("0123456789abcdef", "next"),
        frame(framer, (longLine + "\nnext\n").getBytes(StandardCharsets.UTF_8), 5, 20));
  }

  @Test
  void aLongMessageWithNoLineEndIsCutToo() {
    MessageFramer framer = new MessageFramer(16);
    framer.next(bytes("0123456789"));
    framer.next(bytes("abcdefghijklmnop"));
    assertEquals("0123456789abcdef", framer.endByQuietPeriod());
  }

  @Test
  void bytesThatAreNotUtf8BecomeReplacementCharacters() {
    MessageFramer framer = new MessageFramer(4096);
    ByteBuffer in = ByteBuffer.wrap(new byte[] {'A', (byte) 0xff, 'B', '\n'});
    assertEquals("A\uFFFDB", framer.next(in));
  }
}
