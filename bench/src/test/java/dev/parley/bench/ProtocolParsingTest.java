package dev.parley.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolParsingTest {
  private static final int SIZE = 30;
  private final Payload payload = new Payload("tagged");
  private final Recorder events = new Recorder();
  private final Client subscriber = new Client(0, false, "taggeds0");
  private final Client publisher = new Client(0, true, "taggedp0");

  /** Records what the parser reports. */
  static final class Recorder implements Protocol.Events {
    final List<String> seen = new ArrayList<>();

    @Override
    public void onReady(Client c) {
      seen.add("ready " + c.name);
    }

    @Override
    public void onDelivery(Client c, byte[] a, int textAt, int length) {
      seen.add("delivery " + new String(a, textAt, length, StandardCharsets.US_ASCII));
    }

    @Override
    public void onConfirm(Client c) {
      seen.add("confirm " + c.name);
    }

    @Override
    public void onError(Client c, String line) {
      seen.add("error " + line);
    }

    @Override
    public void reply(Client c, byte[] bytes) {
      seen.add("reply " + (bytes[0] < 0 ? unmasked(bytes) : new String(bytes, US_ASCII).trim()));
    }
  }

  /** A client's frames (short, masked, possibly several) as "frame OPCODE text", one per frame. */
  static String unmasked(byte[] frames) {
    List<String> each = new ArrayList<>();
    for (int at = 0; at < frames.length; ) {
      int n = frames[at + 1] & 0x7F;
      assertEquals(0x80, frames[at + 1] & 0x80, "a client frame is masked");
      byte[] text = new byte[n];
      for (int i = 0; i < n; i++) {
        text[i] = (byte) (frames[at + 6 + i] ^ frames[at + 2 + (i & 3)]);
      }
      each.add("frame " + (frames[at] & 0x0F) + " " + new String(text, US_ASCII));
      at += 6 + n;
    }
    return String.join(", ", each);
  }

  /** A server frame: unmasked, FIN set. */
  private static byte[] serverFrame(int opcode, String text) {
    byte[] payload = text.getBytes(US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x80 | opcode);
    if (payload.length < 126) {
      out.write(payload.length);
    } else {
      out.write(126);
      out.write(payload.length >> 8);
      out.write(payload.length);
    }
    out.writeBytes(payload);
    return out.toByteArray();
  }

  @Test
  void webSocketFramesAreCountedAsTheirLinesWhereverTheReadSplitsThem() {
    String t = text(0x77);
    String longError = "C ERR 400 " + "x".repeat(200);
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    input.writeBytes(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n".getBytes(US_ASCII));
    input.writeBytes(serverFrame(0x1, "C HELLO parley/1 hi"));
    input.writeBytes(serverFrame(0x1, "C READY taggeds0 3"));
    input.writeBytes(serverFrame(0x1, "D PM 8 2026-11-21T10:15:30.123Z taggedp0 " + t));
    input.writeBytes(serverFrame(0x9, "p"));
    input.writeBytes(serverFrame(0x1, "C PING abc"));
    input.writeBytes(serverFrame(0x1, longError));
    byte[] all = input.toByteArray();
    for (int split = 0; split <= all.length; split++) {
      WebSocketProtocol ws =
          new WebSocketProtocol(new ParleyProtocol(payload, SIZE, false, null), "h", 1);
      Client c = new Client(0, false, "taggeds0");
      events.seen.clear();
      feed(ws, c, all, split);
      assertEquals(
          List.of(
              "reply frame 1 C NICK taggeds0",
              "ready taggeds0",
              "delivery " + t,
              "reply frame 10 p",
              "reply frame 1 C PONG abc",
              "error " + longError),
          events.seen,
          "split at " + split);
    }
  }

  @Test
  void aWebSocketRequestIsOneMaskedMessagePerLine() {
    WebSocketProtocol ws =
        new WebSocketProtocol(new ParleyProtocol(payload, SIZE, false, null), "h", 1);
    ByteBuffer out = ByteBuffer.allocate(ws.maxRequestBytes());
    ws.putRequest(out, publisher, 0, 0xff);
    byte[] frames = new byte[out.position()];
    out.flip().get(frames);
    assertEquals("frame 1 C PM, frame 1 D " + text(0xff), unmasked(frames));
  }

  private String text(long nanos) {
    ByteBuffer b = ByteBuffer.wrap(payload.template(SIZE));
    Payload.stamp(b, 0, nanos);
    return new String(b.array(), StandardCharsets.US_ASCII);
  }

  /** Feeds {@code input} split at {@code split}, carrying the unparsed rest as the driver does. */
  private void feed(Protocol protocol, Client c, String input, int split) {
    feed(protocol, c, input.getBytes(StandardCharsets.US_ASCII), split);
  }

  private void feed(Protocol protocol, Client c, byte[] all, int split) {
    byte[] buffer = new byte[all.length];
    System.arraycopy(all, 0, buffer, 0, split);
    int consumed = protocol.parse(c, buffer, 0, split, events);
    int left = split - consumed;
    System.arraycopy(buffer, consumed, buffer, 0, left);
    System.arraycopy(all, split, buffer, left, all.length - split);
    int end = left + all.length - split;
    assertEquals(end, protocol.parse(c, buffer, 0, end, events), "everything parsed");
  }

  @Test
  void parleyLinesAreCountedWhereverTheReadSplitsThem() {
    ParleyProtocol parley = new ParleyProtocol(payload, SIZE, false, null);
    String t = text(0x1234);
    String input =
        "C HELLO parley/1 hi\nC READY taggeds0 3\nC HISTORY 1\n"
            + "D PM 7 2026-11-21T10:15:30.123Z old hello world\n"
            + "C JOIN someone\nD PM 8 2026-11-21T10:15:30.123Z taggedp0 "
            + t
            + "\nD DM 9 2026-11-21T10:15:30.123Z taggedp0 taggeds0 "
            + t
            + "\nC PING abc\nC SENT PM 8 3\nC ERR 400 nope\n";
    for (int split = 0; split <= input.length(); split++) {
      events.seen.clear();
      feed(parley, subscriber, input, split);
      assertEquals(
          List.of(
              "ready taggeds0",
              "delivery hello world",
              "delivery " + t,
              "delivery " + t,
              "reply C PONG abc",
              "confirm taggeds0",
              "error C ERR 400 nope"),
          events.seen,
          "split at " + split);
    }
  }

  @Test
  void theStampIsReadBack() {
    String t = text(0x0123456789abcdefL);
    byte[] a = t.getBytes(StandardCharsets.US_ASCII);
    assertEquals(true, payload.isOurs(a, 0, a.length));
    assertEquals(0x0123456789abcdefL, Payload.sendNanos(a, 0));
  }

  @Test
  void aParleyRequestIsPmThenText() {
    ParleyProtocol parley = new ParleyProtocol(payload, SIZE, false, null);
    ByteBuffer out = ByteBuffer.allocate(200);
    parley.putRequest(out, publisher, 0, 0xff);
    assertEquals(
        "C PM\nD " + text(0xff) + "\n",
        new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII));
  }

  @Test
  void aDirectRequestNamesItsRecipient() {
    ParleyProtocol parley = new ParleyProtocol(payload, SIZE, true, new String[] {"bob"});
    ByteBuffer out = ByteBuffer.allocate(200);
    parley.putRequest(out, publisher, 0, 0xff);
    assertEquals(
        "C DM\nC bob\nD " + text(0xff) + "\n",
        new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII));
  }

  @Test
  void redisFramesAreCountedWhereverTheReadSplitsThem() {
    RedisProtocol redis = new RedisProtocol(payload, SIZE, "ch");
    String t = text(0x42);
    String input =
        "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n"
            + "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$"
            + SIZE
            + "\r\n"
            + t
            + "\r\n"
            + ":1000\r\n-ERR wrong\r\n";
    for (int split = 0; split <= input.length(); split++) {
      events.seen.clear();
      feed(redis, subscriber, input, split);
      assertEquals(
          List.of("ready taggeds0", "delivery " + t, "confirm taggeds0", "error -ERR wrong"),
          events.seen,
          "split at " + split);
    }
  }

  @Test
  void aRedisRequestIsPublish() {
    RedisProtocol redis = new RedisProtocol(payload, SIZE, "ch");
    ByteBuffer out = ByteBuffer.allocate(200);
    redis.putRequest(out, publisher, 0, 0x42);
    assertEquals(
        "*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n$" + SIZE + "\r\n" + text(0x42) + "\r\n",
        new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII));
  }
}
