package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encoding lines to bytes, and those bytes read back through a {@link LineDecoder}. */
class WireTest {

  @Test
  void bytesAreUtf8WithOneLfAtTheEnd() {
    assertArrayEquals(new byte[] {'C', ' ', 'P', 'M', '\n'}, Wire.bytes("C PM"));
    assertArrayEquals(
        new byte[] {'D', ' ', 'c', 'a', 'f', (byte) 0xC3, (byte) 0xA9, '\n'},
        Wire.bytes("D caf\u00e9"));
    assertArrayEquals(new byte[] {'\n'}, Wire.bytes(""));
  }

  @Test
  void encodedLineIsReadOnlyAndSharedByDuplicates() {
    ByteBuffer encoded = Wire.encode("C JOIN bob");
    assertTrue(encoded.isReadOnly());
    assertEquals(11, encoded.remaining());

    // Each recipient drains its own duplicate; the original stays whole for the next one.
    ByteBuffer first = encoded.duplicate();
    ByteBuffer second = encoded.duplicate();
    first.position(first.limit());
    assertEquals(11, second.remaining());
    assertEquals(11, encoded.remaining());
  }

  @Test
  void encodeOfATypedLineIsItsFormatPlusLf() {
    ServerLine sent = new ServerLine.SentPublic(7, 3);
    assertEquals(ByteBuffer.wrap(utf8("C SENT PM 7 3\n")), Wire.encode(sent));
    ClientLine nick = new ClientLine.Nick("alice");
    assertEquals(ByteBuffer.wrap(utf8("C NICK alice\n")), Wire.encode(nick));
  }

  @Test
  void serverLinesEncodedAndDecodedComeBackEqual() throws ProtocolException {
    List<ServerLine> lines =
        List.of(
            new ServerLine.Hello(ServerLine.VERSION, "hi"),
            new ServerLine.Ready("alice", 1),
            new ServerLine.History(1),
            new ServerLine.Delivery(
                ChatMessage.publicMessage(3, 1_795_256_130_123L, "bob", "caf\u00e9 \ud83d\ude00")),
            new ServerLine.Users(List.of("alice", "bob")),
            new ServerLine.Bye("goodbye"));
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (ServerLine line : lines) {
      ByteBuffer encoded = Wire.encode(line);
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      stream.writeBytes(bytes);
    }

    LineDecoder decoder = new LineDecoder(Integer.MAX_VALUE);
    ByteBuffer src = ByteBuffer.wrap(stream.toByteArray());
    List<ServerLine> decoded = new ArrayList<>();
    for (Frame frame; (frame = decoder.next(src)) != null; ) {
      decoded.add(ServerLine.parse(((Frame.Text) frame).text()));
    }
    assertEquals(lines, decoded);
    assertNull(decoder.next(src));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
