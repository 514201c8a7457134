package dev.parley.server.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.protocol.Frame;
import dev.parley.protocol.LineDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The WebSocket decoder on arbitrary bytes split into arbitrary reads, decoded in place as {@code
 * WebSocketLayer} does (one byte of room before each read), against the same bytes decoded in one
 * go into a separate buffer: the same lines, pongs and close code, so no split and no in-place
 * write changes anything (the reasons given for refused messages, against a line limit of 64,
 * included); nothing thrown; never more output than input plus the one byte of room.
 *
 * <p>Input: the first byte picks how many split points follow (each a byte: the length of the next
 * read); the rest are the frame bytes. Inputs in {@code WebSocketDecoderFuzzTestInputs/} run in
 * every build.
 */
class WebSocketDecoderFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void decodesAnyBytesSplitAnywhereLikeInOneGo(FuzzedDataProvider data) {
    int splits = data.consumeInt(0, 16);
    List<Integer> lengths = new ArrayList<>();
    for (int i = 0; i < splits; i++) {
      lengths.add(data.consumeInt(1, 64));
    }
    byte[] input = data.consumeRemainingAsBytes();

    Result whole = new Result();
    WebSocketDecoder reference = new WebSocketDecoder(whole, 64);
    ByteBuffer separate = ByteBuffer.allocate(2 * input.length + 2);
    separate.put(input.length + 1, input);
    int end = reference.decode(separate, input.length + 1, 2 * input.length + 1, 0);
    assertTrue(end <= input.length + 1, "more out than in");
    byte[] wholeLines = new byte[end];
    separate.get(0, wholeLines);

    Result split = new Result();
    WebSocketDecoder decoder = new WebSocketDecoder(split, 64);
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    int at = 0;
    int next = 0;
    while (at < input.length && !decoder.stopped()) {
      int n = next < lengths.size() ? lengths.get(next++) : input.length - at;
      n = Math.min(n, input.length - at);
      ByteBuffer read = ByteBuffer.allocate(n + 1);
      read.put(1, input, at, n);
      int out = decoder.decode(read, 1, 1 + n, 0);
      assertTrue(out <= n + 1, "more out than in plus the byte of room");
      byte[] chunk = new byte[out];
      read.get(0, chunk);
      lines.writeBytes(chunk);
      at += n;
    }
    assertArrayEquals(wholeLines, lines.toByteArray());
    assertEquals(whole.pongs.size(), split.pongs.size());
    for (int i = 0; i < whole.pongs.size(); i++) {
      assertArrayEquals(whole.pongs.get(i), split.pongs.get(i));
    }
    assertEquals(whole.refusals, split.refusals);
    // One reason for each line the line decoder refuses as not UTF-8, and no other.
    LineDecoder lineDecoder = new LineDecoder(64);
    ByteBuffer lineBytes = ByteBuffer.wrap(wholeLines);
    int invalid = 0;
    for (Frame f = lineDecoder.next(lineBytes); f != null; f = lineDecoder.next(lineBytes)) {
      invalid += f == Frame.Fault.INVALID_UTF8 ? 1 : 0;
    }
    assertEquals(invalid, whole.refusals.size());
    assertEquals(reference.closeCode(), decoder.closeCode());
    assertEquals(reference.peerClosed(), decoder.peerClosed());
  }

  private static final class Result implements WebSocketDecoder.Replies {
    final List<byte[]> pongs = new ArrayList<>();
    final List<Frame.Fault> refusals = new ArrayList<>();

    @Override
    public void pong(byte[] payload, int length) {
      pongs.add(Arrays.copyOf(payload, length)); // the decoder reuses its array
    }

    @Override
    public void refused(Frame.Fault why) {
      refusals.add(why);
    }
  }
}
