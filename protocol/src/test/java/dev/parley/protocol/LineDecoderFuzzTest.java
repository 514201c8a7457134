package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes framing and parsing (protocol section 1) with arbitrary bytes. The checked-in inputs under
 * {@code LineDecoderFuzzTestInputs/} run as regression tests in every build; {@code JAZZER_FUZZ=1}
 * makes Jazzer search for new ones (DEVELOPING.md). Invariants:
 *
 * <ul>
 *   <li>no exception escapes the decoder, and {@code ClientLine.parse}/{@code ServerLine.parse}
 *       throw nothing but {@link ProtocolException};
 *   <li>the decoder never holds more than the line limit, however the bytes are split;
 *   <li>every {@link Frame.Text} has no LF and survives a round trip through UTF-8;
 *   <li>the frames do not depend on how the stream was split or which kind of buffer carried it,
 *       and equal those of a plain model of section 1 built on the JDK's strict UTF-8 decoder.
 * </ul>
 */
class LineDecoderFuzzTest {
  private static final String TEXT = "text:";

  /**
   * Input layout: byte 0 picks the line limit (1 to 64, so long lines are common) and the buffer
   * kind, byte 1 the size of the chunks the stream is cut into, the rest is the stream.
   */
  @FuzzTest(maxDuration = "2m")
  void decodesAnyBytesSplitAnywhereLikeTheModel(byte[] input) {
    if (input.length < 2) {
      return;
    }
    int maxLine = 1 + (input[0] & 0x3f);
    BufferKind kind = BufferKind.values()[(input[0] & 0xc0) >>> 6];
    int chunk = 1 + (input[1] & 0xff);
    byte[] stream = Arrays.copyOfRange(input, 2, input.length);

    Decoded whole = decode(stream, maxLine, stream.length + 1, BufferKind.HEAP);
    Decoded chunked = decode(stream, maxLine, chunk, kind);
    Decoded byByte = decode(stream, maxLine, 1, kind);
    Decoded expected = model(stream, maxLine);

    assertEquals(expected.frames, whole.frames, "one read");
    assertEquals(expected.frames, chunked.frames, "reads of " + chunk + " bytes from " + kind);
    assertEquals(expected.frames, byByte.frames, "reads of one byte from " + kind);
    assertEquals(expected.buffered, whole.buffered, "bytes held after one read");
    assertEquals(expected.buffered, chunked.buffered, "bytes held after chunked reads");
    for (String frame : chunked.frames) {
      if (frame.startsWith(TEXT)) {
        String text = frame.substring(TEXT.length());
        assertFalse(text.indexOf('\n') >= 0, "a Text frame holds an LF");
        assertEquals(text, roundTrip(text), "a Text frame does not survive UTF-8");
      }
    }
  }

  /**
   * Any string, as a client line: parsed, or refused with a protocol error, nothing else. The
   * property is that no other exception escapes; a refusal's code and reason are only checked to be
   * there (what they say is ClientLineTest's business).
   */
  @FuzzTest(maxDuration = "2m")
  void clientLinesParseOrAreRefusedWithAProtocolError(byte[] input) {
    String line = new String(input, StandardCharsets.UTF_8);
    ClientLine parsed;
    try {
      parsed = ClientLine.parse(line);
    } catch (ProtocolException e) {
      assertNotNull(e.code(), "error code");
      assertNotNull(e.reason(), "reason");
      return;
    }
    // What the server read it as is what it would read again from the formatted line.
    String formatted = parsed.format();
    try {
      assertEquals(parsed, ClientLine.parse(formatted), "reformatted: " + formatted);
    } catch (ProtocolException e) {
      fail("'" + formatted + "', the format of a parsed line, does not parse: " + e.reason());
    }
  }

  /**
   * Any string, as a server line (what a client parses): parsed or refused, nothing else. As above,
   * the property is that no other exception escapes; the assertions only check a result is there.
   */
  @FuzzTest(maxDuration = "2m")
  void serverLinesParseOrAreRefusedWithAProtocolError(byte[] input) {
    String line = new String(input, StandardCharsets.UTF_8);
    try {
      assertNotNull(ServerLine.parse(line));
    } catch (ProtocolException e) {
      assertNotNull(e.code(), "error code");
    }
  }

  // ---- the decoder under test ----

  private record Decoded(List<String> frames, int buffered) {}

  private static Decoded decode(byte[] stream, int maxLine, int chunk, BufferKind kind) {
    LineDecoder decoder = new LineDecoder(maxLine);
    List<String> frames = new ArrayList<>();
    for (int from = 0; from < stream.length; from += chunk) {
      ByteBuffer buffer = kind.wrap(stream, from, Math.min(stream.length, from + chunk));
      Frame frame;
      while ((frame = decoder.next(buffer)) != null) {
        frames.add(describe(frame));
        assertTrue(decoder.bufferedBytes() <= maxLine, "held more than the limit");
      }
      assertFalse(buffer.hasRemaining(), "a decoder that returns null has used every byte");
      assertTrue(decoder.bufferedBytes() <= maxLine, "held more than the limit");
    }
    return new Decoded(frames, decoder.bufferedBytes());
  }

  private static String describe(Frame frame) {
    return frame instanceof Frame.Text t ? TEXT + t.text() : frame.toString();
  }

  /** The ways a connection may hand bytes to the decoder (heap, slices, direct, read-only). */
  private enum BufferKind {
    HEAP,
    HEAP_SLICE,
    DIRECT,
    READ_ONLY;

    ByteBuffer wrap(byte[] stream, int from, int to) {
      int length = to - from;
      return switch (this) {
        case HEAP -> ByteBuffer.wrap(stream, from, length);
        case HEAP_SLICE -> {
          // A slice of a bigger array full of LFs: reading outside the slice would show.
          byte[] padded = new byte[length + 6];
          Arrays.fill(padded, (byte) '\n');
          System.arraycopy(stream, from, padded, 3, length);
          yield ByteBuffer.wrap(padded, 3, length).slice();
        }
        case DIRECT -> {
          ByteBuffer direct = ByteBuffer.allocateDirect(length);
          direct.put(stream, from, length).flip();
          yield direct;
        }
        case READ_ONLY -> ByteBuffer.wrap(stream, from, length).asReadOnlyBuffer();
      };
    }
  }

  // ---- the model: section 1 read literally ----

  private static Decoded model(byte[] stream, int maxLine) {
    List<String> frames = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < stream.length; i++) {
      if (stream[i] != '\n') {
        continue;
      }
      frames.add(modelLine(Arrays.copyOfRange(stream, start, i), maxLine));
      start = i + 1;
    }
    int rest = stream.length - start;
    int buffered = rest;
    if (rest > maxLine) {
      // Reported as soon as the limit is passed, and not kept while the rest is skipped.
      frames.add(Frame.Fault.TOO_LONG.toString());
      buffered = 0;
    }
    return new Decoded(frames, buffered);
  }

  private static String modelLine(byte[] line, int maxLine) {
    if (line.length > maxLine) {
      return Frame.Fault.TOO_LONG.toString();
    }
    int length = line.length;
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    try {
      CharBuffer text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(line, 0, length));
      return TEXT + text;
    } catch (CharacterCodingException e) {
      return Frame.Fault.INVALID_UTF8.toString();
    }
  }

  private static String roundTrip(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }
}
