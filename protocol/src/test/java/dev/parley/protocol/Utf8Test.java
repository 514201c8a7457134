package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * {@link Utf8#isValid} against the JDK's own strict decoder (REPORT on every error), which follows
 * RFC 3629. Every one- and two-byte input is compared, and every lead byte with every second byte
 * for the longer forms.
 */
class Utf8Test {
  private final CharsetDecoder strict =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final CharBuffer out = CharBuffer.allocate(16);

  @Test
  void emptyInputIsValid() {
    assertTrue(Utf8.isValid(new byte[0], 0, 0));
  }

  @Test
  void agreesWithTheJdkOnEveryOneAndTwoByteInput() {
    for (int a = 0; a < 256; a++) {
      assertAgrees(a);
      for (int b = 0; b < 256; b++) {
        assertAgrees(a, b);
      }
    }
  }

  @Test
  void agreesWithTheJdkOnEveryLeadAndSecondByteOfThreeAndFourByteForms() {
    int[] thirds = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    int[] fourths = {0x41, 0x80, 0xBF, 0xC0};
    for (int a = 0xC0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        for (int c : thirds) {
          assertAgrees(a, b, c);
          for (int d : fourths) {
            assertAgrees(a, b, c, d);
          }
        }
      }
    }
  }

  @Test
  void checksOnlyTheGivenRange() {
    // An invalid byte outside [offset, offset + length) does not count; a cut sequence does.
    byte[] bytes = {(byte) 0xFF, 'o', 'k', (byte) 0xC3, (byte) 0xA9, (byte) 0xFF};
    assertTrue(Utf8.isValid(bytes, 1, 4));
    assertFalse(Utf8.isValid(bytes, 1, 3));
    assertFalse(Utf8.isValid(bytes, 0, 3));
    assertFalse(Utf8.isValid(bytes, 1, 5));
  }

  private void assertAgrees(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    assertEquals(
        jdkAccepts(bytes),
        Utf8.isValid(bytes, 0, bytes.length),
        () -> HexFormat.of().formatHex(bytes));
  }

  private boolean jdkAccepts(byte[] bytes) {
    // The CoderResult form of decode: no exception per invalid input, which keeps this test fast.
    out.clear();
    CoderResult result = strict.reset().decode(ByteBuffer.wrap(bytes), out, true);
    return !result.isError() && !strict.flush(out).isError();
  }
}
