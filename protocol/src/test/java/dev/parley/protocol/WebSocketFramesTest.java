package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frame bytes as RFC 6455 5.2 lays them out, built and parsed back by the one codec. */
class WebSocketFramesTest {
  private static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 70000})
  void aMaskedFrameParsesBackToItsLengthAndPayload(int length) {
    byte[] payload = new byte[length];
    for (int i = 0; i < length; i++) {
      payload[i] = (byte) (i * 7);
    }
    byte[] frame = WebSocketFrames.frame(WebSocketFrames.FIN | WebSocketFrames.TEXT, payload, MASK);

    assertEquals(0x81, frame[0] & 0xFF);
    assertTrue(WebSocketFrames.isMasked(frame[1]));
    int header = WebSocketFrames.headerLengthOf(frame[1]);
    assertEquals(WebSocketFrames.headerLength(length, true), header);
    assertEquals(header + length, frame.length);
    assertEquals(length, WebSocketFrames.payloadLength(frame, 0));
    assertArrayEquals(MASK, Arrays.copyOfRange(frame, header - 4, header));
    byte[] unmasked = new byte[length];
    for (int i = 0; i < length; i++) {
      unmasked[i] = (byte) (frame[header + i] ^ MASK[i & 3]);
    }
    assertArrayEquals(payload, unmasked);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 125, 126, 65535, 65536})
  void aServerHeaderHasTheSameLayoutUnmasked(int length) {
    ByteBuffer out = ByteBuffer.allocate(WebSocketFrames.MAX_HEADER_BYTES);
    WebSocketFrames.putHeader(out, WebSocketFrames.FIN | WebSocketFrames.PONG, length);
    byte[] header = Arrays.copyOf(out.array(), out.position());

    assertEquals(WebSocketFrames.headerLength(length, false), header.length);
    assertEquals(header.length, WebSocketFrames.headerLengthOf(header[1]));
    assertFalse(WebSocketFrames.isMasked(header[1]));
    assertEquals(length, WebSocketFrames.payloadLength(header, 0));
    byte[] built = WebSocketFrames.frame(0x8A, new byte[length], null);
    assertArrayEquals(header, Arrays.copyOf(built, header.length));
  }

  @Test
  void anEightByteLengthWithItsTopBitSetReadsAsNegative() {
    byte[] header = {(byte) 0x82, 127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 1};

    assertTrue(WebSocketFrames.payloadLength(header, 0) < 0);
  }

  @Test
  void theCloseFrameCarriesItsCodeBigEndian() {
    assertArrayEquals(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xEA}, WebSocketFrames.close(1002));
  }

  @Test
  void aFrameIsWrittenAtAnOffsetAndTheIndexAfterItIsReturned() {
    byte[] to = new byte[20];
    int end = WebSocketFrames.put(to, 3, 0x81, new byte[] {'a', 'b', 'c'}, 1, 2, null);

    assertEquals(3 + 2 + 2, end);
    assertArrayEquals(new byte[] {(byte) 0x81, 2, 'b', 'c'}, Arrays.copyOfRange(to, 3, end));
  }
}
