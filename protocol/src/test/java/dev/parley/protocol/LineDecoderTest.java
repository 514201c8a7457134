package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Framing (protocol section 1) fed from byte arrays: line ends, the byte limit, UTF-8, and input
 * split across reads at every possible place. The split idea is Netty's {@code
 * LineBasedFrameDecoderTest}.
 */
class LineDecoderTest {
  private static final Frame TOO_LONG = Frame.Fault.TOO_LONG;
  private static final Frame INVALID_UTF8 = Frame.Fault.INVALID_UTF8;

  /** The ways a caller may hand bytes to the decoder; all must decode the same. */
  enum BufferKind {
    HEAP(ByteBuffer::wrap),
    DIRECT(
        bytes -> {
          ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
          direct.put(bytes).flip();
          return direct;
        }),
    READ_ONLY_HEAP(bytes -> ByteBuffer.wrap(bytes).asReadOnlyBuffer()),
    // A slice of a bigger array, so arrayOffset() is not 0 and position() starts at 0.
    HEAP_SLICE(
        bytes -> {
          byte[] padded = new byte[bytes.length + 10];
          Arrays.fill(padded, (byte) '\n'); // a decoder reading outside the slice would see LFs
          System.arraycopy(bytes, 0, padded, 5, bytes.length);
          return ByteBuffer.wrap(padded, 5, bytes.length).slice();
        }),
    // Position and limit not at the ends of the backing array.
    HEAP_WINDOW(
        bytes -> {
          byte[] padded = new byte[bytes.length + 10];
          Arrays.fill(padded, (byte) '\n');
          System.arraycopy(bytes, 0, padded, 5, bytes.length);
          return ByteBuffer.wrap(padded, 5, bytes.length);
        });

    private final Function<byte[], ByteBuffer> wrap;

    BufferKind(Function<byte[], ByteBuffer> wrap) {
      this.wrap = wrap;
    }

    ByteBuffer wrap(byte[] bytes) {
      return wrap.apply(bytes);
    }
  }

  // ---- line ends ----

  @Test
  void lfEndsALine() {
    assertEquals(List.of(text("hello")), decode(new LineDecoder(), "hello\n"));
  }

  @Test
  void crlfAndLfEndLinesTheSame() {
    assertEquals(
        List.of(text("one"), text("two"), text("three")),
        decode(new LineDecoder(), "one\r\ntwo\nthree\r\n"));
  }

  @Test
  void onlyOneCrBeforeLfIsDropped() {
    assertEquals(List.of(text("a\r")), decode(new LineDecoder(), "a\r\r\n"));
    assertEquals(List.of(text("\r")), decode(new LineDecoder(), "\r\r\n"));
  }

  @Test
  void loneCrInsideALineIsKept() {
    assertEquals(
        List.of(text("a\rb"), text("\rstart"), text("end\r ")),
        decode(new LineDecoder(), "a\rb\n\rstart\nend\r \n"));
  }

  @Test
  void crAtTheEndOfOneReadAndLfAtTheStartOfTheNextEndOneLine() {
    LineDecoder decoder = new LineDecoder();
    assertEquals(List.of(), decode(decoder, "abc\r"));
    assertEquals(4, decoder.bufferedBytes());
    assertEquals(List.of(text("abc"), text("x")), decode(decoder, "\nx\n"));
  }

  @Test
  void emptyLinesDecodeAsEmptyText() {
    assertEquals(
        List.of(text(""), text(""), text(""), text("x")), decode(new LineDecoder(), "\n\r\n\nx\n"));
  }

  @Test
  void manyLinesInOneBufferComeOutInOrder() {
    StringBuilder input = new StringBuilder();
    List<Frame> expected = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      input.append("C PING ").append(i).append(i % 2 == 0 ? "\n" : "\r\n");
      expected.add(text("C PING " + i));
    }
    assertEquals(expected, decode(new LineDecoder(), input.toString()));
  }

  @Test
  void bytesWithoutLfWaitForTheLfInTheNextRead() {
    LineDecoder decoder = new LineDecoder();
    ByteBuffer first = ByteBuffer.wrap(utf8("hel"));
    assertNull(decoder.next(first));
    assertEquals(0, first.remaining());
    assertEquals(3, decoder.bufferedBytes());
    assertEquals(List.of(text("hello")), decode(decoder, "lo\n"));
    assertEquals(0, decoder.bufferedBytes());
  }

  @Test
  void emptyBufferYieldsNothing() {
    LineDecoder decoder = new LineDecoder();
    assertNull(decoder.next(ByteBuffer.allocate(0)));
    assertEquals(0, decoder.bufferedBytes());
  }

  @Test
  void bytesAfterAReturnedLineStayInTheBuffer() {
    LineDecoder decoder = new LineDecoder();
    ByteBuffer src = ByteBuffer.wrap(utf8("one\ntwo\r\nthr"));

    assertEquals(text("one"), decoder.next(src));
    assertEquals(4, src.position());
    assertEquals(8, src.remaining());
    assertEquals(0, decoder.bufferedBytes());

    // The caller stopped between lines; the rest is still there when it comes back.
    assertEquals(text("two"), decoder.next(src));
    assertEquals(9, src.position());
    assertNull(decoder.next(src));
    assertEquals(0, src.remaining());
    assertEquals(3, decoder.bufferedBytes());
  }

  @Test
  void bytesAfterATooLongLineStayInTheBuffer() {
    LineDecoder decoder = new LineDecoder(4);
    ByteBuffer src = ByteBuffer.wrap(utf8("12345\nok\n"));
    assertEquals(TOO_LONG, decoder.next(src));
    assertEquals(6, src.position());
    assertEquals(text("ok"), decoder.next(src));
  }

  @Test
  void bytesAfterAnInvalidLineStayInTheBuffer() {
    LineDecoder decoder = new LineDecoder();
    ByteBuffer src = ByteBuffer.wrap(new byte[] {(byte) 0xFF, '\n', 'o', 'k', '\n'});
    assertEquals(INVALID_UTF8, decoder.next(src));
    assertEquals(2, src.position());
    assertEquals(text("ok"), decoder.next(src));
  }

  // ---- input split across reads ----

  /**
   * Every kind of line at once: LF, CRLF, a CR-only-before-LF pair, an empty line, multibyte
   * characters, a too-long line, invalid UTF-8, and an unfinished line at the end.
   */
  private static byte[] mixedInput() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(utf8("C NICK alice\r\n"));
    out.writeBytes(utf8("D h\u00e9 \u20ac \ud83d\ude00\n")); // 2-, 3- and 4-byte characters
    out.writeBytes(utf8("\r\n"));
    out.writeBytes(utf8("a\r\r\n"));
    out.writeBytes(utf8("0123456789abcdefXYZ\r\n")); // 19 bytes: over the limit of 16
    out.writeBytes(new byte[] {'b', 'a', (byte) 0xC0, (byte) 0x80, 'd', '\n'});
    out.writeBytes(utf8("0123456789abcdef\n")); // exactly 16: fits
    out.writeBytes(utf8("0123456789abcde\r\n")); // 15 + CR: fits
    out.writeBytes(utf8("0123456789abcdef\r\n")); // 16 + CR: too long
    out.writeBytes(utf8("last\n"));
    out.writeBytes(utf8("unfinished"));
    return out.toByteArray();
  }

  private static final List<Frame> MIXED_FRAMES =
      List.of(
          text("C NICK alice"),
          text("D h\u00e9 \u20ac \ud83d\ude00"),
          text(""),
          text("a\r"),
          TOO_LONG,
          INVALID_UTF8,
          text("0123456789abcdef"),
          text("0123456789abcde"),
          TOO_LONG,
          text("last"));

  private static final int MIXED_MAX = 16;

  @ParameterizedTest
  @EnumSource(BufferKind.class)
  void wholeInputInOneReadDecodesToTheExpectedFrames(BufferKind kind) {
    LineDecoder decoder = new LineDecoder(MIXED_MAX);
    assertEquals(MIXED_FRAMES, decodeAll(decoder, kind, mixedInput()));
    assertEquals("unfinished".length(), decoder.bufferedBytes());
  }

  @ParameterizedTest
  @EnumSource(BufferKind.class)
  void inputSplitAtEveryByteIndexYieldsTheSameFrames(BufferKind kind) {
    byte[] input = mixedInput();
    for (int split = 0; split <= input.length; split++) {
      LineDecoder decoder = new LineDecoder(MIXED_MAX);
      List<Frame> frames =
          decodeAll(
              decoder,
              kind,
              Arrays.copyOfRange(input, 0, split),
              Arrays.copyOfRange(input, split, input.length));
      assertEquals(MIXED_FRAMES, frames, "split at " + split);
      assertEquals("unfinished".length(), decoder.bufferedBytes(), "split at " + split);
    }
  }

  @ParameterizedTest
  @EnumSource(BufferKind.class)
  void inputSplitAtEveryPairOfByteIndexesYieldsTheSameFrames(BufferKind kind) {
    byte[] input = mixedInput();
    for (int first = 0; first <= input.length; first++) {
      for (int second = first; second <= input.length; second++) {
        List<Frame> frames =
            decodeAll(
                new LineDecoder(MIXED_MAX),
                kind,
                Arrays.copyOfRange(input, 0, first),
                Arrays.copyOfRange(input, first, second),
                Arrays.copyOfRange(input, second, input.length));
        assertEquals(MIXED_FRAMES, frames, "split at " + first + " and " + second);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(BufferKind.class)
  void inputFedOneByteAtATimeYieldsTheSameFrames(BufferKind kind) {
    byte[] input = mixedInput();
    byte[][] single = new byte[input.length][];
    for (int i = 0; i < input.length; i++) {
      single[i] = new byte[] {input[i]};
    }
    LineDecoder decoder = new LineDecoder(MIXED_MAX);
    assertEquals(MIXED_FRAMES, decodeAll(decoder, kind, single));
    assertEquals("unfinished".length(), decoder.bufferedBytes());
  }

  @Test
  void longLinesSplitAcrossReadsAtEveryIndexDecodeWithTheDefaultLimit() {
    // Lines larger than the decoder's first partial array, so it has to grow and later shrink.
    String big = "x".repeat(3000);
    String small = "y".repeat(300);
    byte[] input = utf8(big + "\r\n" + small + "\n" + big + "\n");
    List<Frame> expected = List.of(text(big), text(small), text(big));
    for (int split = 0; split <= input.length; split++) {
      List<Frame> frames =
          decodeAll(
              new LineDecoder(),
              BufferKind.HEAP,
              Arrays.copyOfRange(input, 0, split),
              Arrays.copyOfRange(input, split, input.length));
      assertEquals(expected, frames, "split at " + split);
    }
  }

  // ---- the byte limit ----

  @Test
  void defaultLimitIs4096Bytes() {
    assertEquals(4096, LineDecoder.DEFAULT_MAX_LINE_BYTES);
    assertEquals(4096, new LineDecoder().maxLineBytes());
    assertEquals(10, new LineDecoder(10).maxLineBytes());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void limitBelowOneByteIsRejected(int max) {
    assertThrows(IllegalArgumentException.class, () -> new LineDecoder(max));
  }

  @ParameterizedTest
  @EnumSource(BufferKind.class)
  void exactly4096BytesBeforeLfAreAccepted(BufferKind kind) {
    String line = "a".repeat(4096);
    assertEquals(List.of(text(line)), decodeAll(new LineDecoder(), kind, utf8(line + "\n")));
  }

  @Test
  void exactly4096BytesArrivingBeforeTheirLfAreKeptAndAccepted() {
    LineDecoder decoder = new LineDecoder();
    String line = "a".repeat(4096);
    assertEquals(List.of(), decode(decoder, line));
    assertEquals(4096, decoder.bufferedBytes());
    assertEquals(List.of(text(line)), decode(decoder, "\n"));
    assertEquals(0, decoder.bufferedBytes());
  }

  @ParameterizedTest
  @EnumSource(BufferKind.class)
  void line4097BytesLongIsTooLongAndTheNextLineStillDecodes(BufferKind kind) {
    byte[] input = utf8("a".repeat(4097) + "\nnext\n");
    assertEquals(List.of(TOO_LONG, text("next")), decodeAll(new LineDecoder(), kind, input));
  }

  @Test
  void crCountsTowardTheLimit() {
    assertEquals(
        List.of(text("a".repeat(4095))),
        decode(new LineDecoder(), "a".repeat(4095) + "\r\n"),
        "4095 bytes + CR + LF");
    assertEquals(
        List.of(TOO_LONG, text("next")),
        decode(new LineDecoder(), "a".repeat(4096) + "\r\nnext\r\n"),
        "4096 bytes + CR + LF");
  }

  @Test
  void crArrivingAfterAFullLineMakesItTooLong() {
    LineDecoder decoder = new LineDecoder();
    assertEquals(List.of(), decode(decoder, "a".repeat(4096)));
    assertEquals(List.of(TOO_LONG), decode(decoder, "\r"));
    assertEquals(0, decoder.bufferedBytes());
    assertEquals(List.of(text("next")), decode(decoder, "\nnext\n"));
  }

  @Test
  void limitCountsBytesNotCharacters() {
    // 5 two-byte characters are 10 bytes: over a limit of 9, within a limit of 10.
    String accents = "\u00e9".repeat(5);
    assertEquals(List.of(TOO_LONG), decode(new LineDecoder(9), accents + "\n"));
    assertEquals(List.of(text(accents)), decode(new LineDecoder(10), accents + "\n"));
  }

  @Test
  void tooLongLineIsReportedAsSoonAsTheLimitIsPassed() {
    LineDecoder decoder = new LineDecoder();
    // No LF yet: the fault comes now, not when the line finally ends.
    assertEquals(List.of(TOO_LONG), decode(decoder, "a".repeat(4097)));
    assertEquals(0, decoder.bufferedBytes());
    // The rest of that line is skipped without a second fault.
    assertEquals(List.of(), decode(decoder, "b".repeat(5000)));
    assertEquals(List.of(text("next")), decode(decoder, "ccc\r\nnext\n"));
  }

  @Test
  void tooLongLineInOneReadIsReportedOnce() {
    // Netty LineBasedFrameDecoderTest.testTooLongLine1, with a limit of 16.
    assertEquals(
        List.of(TOO_LONG, text("first")),
        decode(new LineDecoder(16), "12345678901234567\r\nfirst\r\n"));
  }

  @Test
  void tooLongLineSplitAcrossReadsIsReportedOnceAndTheNextLineDecodes() {
    // Netty LineBasedFrameDecoderTest.testTooLongLine2, with a limit of 16.
    LineDecoder decoder = new LineDecoder(16);
    assertEquals(List.of(TOO_LONG), decode(decoder, "12345678901234567"));
    assertEquals(List.of(text("first")), decode(decoder, "890\r\nfirst\r\n"));
  }

  @Test
  void tooLongLineGrowingOverManyReadsIsReportedOnce() {
    LineDecoder decoder = new LineDecoder(16);
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      frames.addAll(decode(decoder, "12345"));
    }
    frames.addAll(decode(decoder, "\nfirst\n"));
    assertEquals(List.of(TOO_LONG, text("first")), frames);
  }

  @Test
  void consecutiveTooLongLinesAreEachReported() {
    assertEquals(
        List.of(TOO_LONG, TOO_LONG, text("ok")),
        decode(new LineDecoder(4), "12345\n123456789\nok\n"));
  }

  @Test
  void tenMegabyteLineWithoutLfNeverBuffersMoreThanTheLimit() {
    LineDecoder decoder = new LineDecoder();
    byte[] chunk = new byte[1000]; // not a divisor of 4096, so the limit falls inside a read
    Arrays.fill(chunk, (byte) 'x');
    List<Frame> frames = new ArrayList<>();
    int max = 0;
    for (int sent = 0; sent < 10 * 1024 * 1024; sent += chunk.length) {
      ByteBuffer src = ByteBuffer.wrap(chunk);
      for (Frame frame; (frame = decoder.next(src)) != null; ) {
        frames.add(frame);
      }
      assertEquals(0, src.remaining());
      max = Math.max(max, decoder.bufferedBytes());
    }
    assertTrue(max <= 4096, "buffered " + max + " bytes");
    assertEquals(4000, max);
    assertEquals(List.of(TOO_LONG), frames);
    assertEquals(List.of(text("after")), decode(decoder, "\nafter\n"));
  }

  @Test
  void tenMegabyteLineInOneReadIsNotBuffered() {
    LineDecoder decoder = new LineDecoder();
    byte[] huge = new byte[10 * 1024 * 1024];
    Arrays.fill(huge, (byte) 'x');
    assertEquals(List.of(TOO_LONG), decodeAll(decoder, BufferKind.HEAP, huge));
    assertEquals(0, decoder.bufferedBytes());
    assertEquals(List.of(text("after")), decode(decoder, "\nafter\n"));
  }

  // ---- UTF-8 ----

  static List<Named<byte[]>> invalidUtf8Lines() {
    return List.of(
        Named.of("lone continuation byte", bytes(0x80)),
        Named.of("continuation byte inside ASCII", bytes('a', 0xBF, 'b')),
        Named.of("overlong NUL", bytes(0xC0, 0x80)),
        Named.of("overlong DEL", bytes(0xC1, 0xBF)),
        Named.of("overlong three-byte form", bytes(0xE0, 0x80, 0x80)),
        Named.of("overlong four-byte form", bytes(0xF0, 0x80, 0x80, 0x80)),
        Named.of("UTF-16 high surrogate U+D800", bytes(0xED, 0xA0, 0x80)),
        Named.of("UTF-16 low surrogate U+DFFF", bytes(0xED, 0xBF, 0xBF)),
        Named.of("U+110000, past the last code point", bytes(0xF4, 0x90, 0x80, 0x80)),
        Named.of(
            "F5, a lead byte only for code points past U+10FFFF", bytes(0xF5, 0x80, 0x80, 0x80)),
        Named.of("FF, a byte UTF-8 never uses", bytes(0xFF)),
        Named.of("three-byte sequence cut short by the end of the line", bytes('a', 0xE2, 0x82)),
        Named.of("two-byte sequence cut short by the end of the line", bytes('a', 0xC3)),
        Named.of("four-byte sequence cut short by the end of the line", bytes(0xF0, 0x9F, 0x98)),
        Named.of("sequence interrupted by ASCII", bytes(0xE2, 0x82, 'A')),
        Named.of("lead byte where a continuation belongs", bytes(0xC3, 0xC3, 0xA9)));
  }

  @ParameterizedTest
  @MethodSource("invalidUtf8Lines")
  void invalidUtf8IsAFaultAndTheNextLineDecodes(byte[] line) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(line);
    out.writeBytes(utf8("\nnext\n"));
    assertEquals(
        List.of(INVALID_UTF8, text("next")),
        decodeAll(new LineDecoder(), BufferKind.HEAP, out.toByteArray()));
  }

  @ParameterizedTest
  @MethodSource("invalidUtf8Lines")
  void invalidUtf8SplitAcrossReadsIsAFault(byte[] line) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(utf8("ok\n"));
    out.writeBytes(line);
    out.writeBytes(utf8("\r\nnext\n"));
    byte[] input = out.toByteArray();
    for (BufferKind kind : BufferKind.values()) {
      for (int split = 0; split <= input.length; split++) {
        List<Frame> frames =
            decodeAll(
                new LineDecoder(),
                kind,
                Arrays.copyOfRange(input, 0, split),
                Arrays.copyOfRange(input, split, input.length));
        assertEquals(
            List.of(text("ok"), INVALID_UTF8, text("next")), frames, kind + " split at " + split);
      }
    }
  }

  @Test
  void sequenceCutShortBeforeCrlfIsInvalid() {
    // The CR is dropped as part of the line end, not taken as a continuation byte.
    assertEquals(
        List.of(INVALID_UTF8),
        decodeAll(new LineDecoder(), BufferKind.HEAP, bytes(0xC3, '\r', '\n')));
  }

  @Test
  void multibyteCharactersDecode() {
    String line =
        "caf\u00e9 " // 2 bytes
            + "\u20ac " // 3 bytes
            + "\ud800\udf48 " // U+10348, 4 bytes
            + "\ud83d\ude00 " // emoji, 4 bytes
            + "\ud83d\udc69\u200d\ud83d\udcbb " // emoji ZWJ sequence
            + "\u65e5\u672c\u8a9e";
    assertEquals(List.of(text(line)), decode(new LineDecoder(), line + "\r\n"));
  }

  @Test
  void codePointsAtTheEdgesOfEachEncodedLengthDecode() {
    int[] codePoints = {
      0x00, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF
    };
    StringBuilder input = new StringBuilder();
    List<Frame> expected = new ArrayList<>();
    for (int cp : codePoints) {
      String s = "<" + new String(Character.toChars(cp)) + ">";
      input.append(s).append('\n');
      expected.add(text(s));
    }
    assertEquals(expected, decode(new LineDecoder(), input.toString()));
  }

  @Test
  void faultsCarryTheirErrorCodes() {
    assertEquals(ErrorCode.LINE_TOO_LONG, Frame.Fault.TOO_LONG.code());
    assertEquals(413, Frame.Fault.TOO_LONG.code().code());
    assertEquals("line too long", Frame.Fault.TOO_LONG.reason());
    assertEquals(ErrorCode.MALFORMED, Frame.Fault.INVALID_UTF8.code());
    assertEquals(400, Frame.Fault.INVALID_UTF8.code().code());
    assertEquals("line is not valid UTF-8", Frame.Fault.INVALID_UTF8.reason());
  }

  // ---- helpers ----

  private static Frame text(String s) {
    return new Frame.Text(s);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static List<Frame> decode(LineDecoder decoder, String input) {
    return decodeAll(decoder, BufferKind.HEAP, utf8(input));
  }

  /** Feeds each read in turn, draining it completely, as a connection does. */
  private static List<Frame> decodeAll(LineDecoder decoder, BufferKind kind, byte[]... reads) {
    List<Frame> frames = new ArrayList<>();
    for (byte[] read : reads) {
      ByteBuffer src = kind.wrap(read);
      for (Frame frame; (frame = decoder.next(src)) != null; ) {
        frames.add(frame);
      }
      assertEquals(0, src.remaining(), "the decoder takes every byte of a read");
      assertTrue(
          decoder.bufferedBytes() <= decoder.maxLineBytes(),
          "buffered " + decoder.bufferedBytes() + " bytes");
    }
    return frames;
  }
}
