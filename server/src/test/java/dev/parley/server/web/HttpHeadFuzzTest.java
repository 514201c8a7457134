package dev.parley.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The one HTTP head reader of the server ({@link HttpHead}, used by the web port and the metrics
 * port) on arbitrary bytes split into arbitrary reads, each read a heap or a direct buffer, against
 * the same bytes read in one go and against a plain model (the head is everything up to the first
 * CRLF CRLF, if that fits the bound): the same answer (431, 400, the same request, or still
 * waiting), the same bytes taken, so what follows the head is left where the caller finds it; never
 * more held than the bound; nothing thrown.
 *
 * <p>Input, so that a regression input is a readable text file: the first line holds numbers
 * separated by spaces: the bound on the head (4 to {@link HttpRequest#MAX_HEAD_BYTES}, which it is
 * when missing; a small one lets short inputs reach it), then the length of each read (the rest
 * comes in one last read); a number ending in {@code d} is read into a direct buffer. Everything
 * after that first LF is what the client sends. Inputs in {@code HttpHeadFuzzTestInputs/} run in
 * every build.
 */
class HttpHeadFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void readsAnyBytesSplitAnywhereLikeInOneGo(byte[] input) {
    int lf = indexOf(input, new byte[] {'\n'});
    List<String> numbers =
        lf < 0
            ? List.of()
            : Arrays.asList(new String(input, 0, lf, StandardCharsets.ISO_8859_1).split(" "));
    byte[] sent = lf < 0 ? input : Arrays.copyOfRange(input, lf + 1, input.length);
    int bound = numbers.isEmpty() ? HttpRequest.MAX_HEAD_BYTES : number(numbers.get(0));
    bound = Math.max(4, Math.min(bound, HttpRequest.MAX_HEAD_BYTES));

    Outcome model = model(sent, bound);

    HttpHead whole = new HttpHead(bound);
    ByteBuffer all = ByteBuffer.wrap(sent);
    Outcome inOneGo = new Outcome(whole.take(all), all.position(), requestOf(whole));
    assertEquals(model.progress, inOneGo.progress);
    assertEquals(model.taken, inOneGo.taken);
    assertEquals(model.request, inOneGo.request);

    HttpHead split = new HttpHead(bound);
    int at = 0;
    int taken = 0;
    for (int i = 1; at < sent.length; i++) {
      String read = i < numbers.size() ? numbers.get(i) : "";
      int n =
          read.isEmpty() ? sent.length - at : Math.min(Math.max(1, number(read)), sent.length - at);
      ByteBuffer buffer =
          read.endsWith("d") ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
      buffer.put(sent, at, n).flip();
      HttpHead.Progress before = split.progress();
      HttpHead.Progress now = split.take(buffer);
      assertTrue(split.bytesHeld() <= bound, "held " + split.bytesHeld() + " of " + bound);
      if (before != HttpHead.Progress.INCOMPLETE) {
        assertEquals(0, buffer.position(), "took bytes after the head was done");
      } else if (now == HttpHead.Progress.INCOMPLETE) {
        assertEquals(n, buffer.position(), "left bytes while still waiting for the head");
      }
      taken += buffer.position();
      at += n;
    }
    Outcome splitUp = new Outcome(split.progress(), taken, requestOf(split));
    assertEquals(inOneGo, splitUp);

    if (splitUp.request != null) {
      HttpRequest request = splitUp.request;
      assertTrue(isToken(request.method()), request.method());
      assertTrue(request.path().startsWith("/") && request.path().indexOf('?') < 0, request.path());
      assertTrue(request.path().chars().allMatch(c -> c > ' ' && c < 0x7f), request.path());
      request
          .headers()
          .forEach(
              (name, value) -> {
                assertTrue(isToken(name) && name.equals(name.toLowerCase(Locale.ROOT)), name);
                assertTrue(value.chars().noneMatch(c -> c < ' ' && c != '\t' || c == 0x7f), value);
              });
    }
  }

  /** RFC 9110 section 5.6.2, written out again so the test does not share the parser's code. */
  private static boolean isToken(String s) {
    return !s.isEmpty()
        && s.chars()
            .allMatch(
                c ->
                    c >= 'a' && c <= 'z'
                        || c >= 'A' && c <= 'Z'
                        || c >= '0' && c <= '9'
                        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
  }

  /**
   * What a head reader made of the bytes: still waiting, 431 ({@code TOO_LARGE}) or done, 400 when
   * {@code request} is null; and how many bytes it took.
   */
  private record Outcome(HttpHead.Progress progress, int taken, HttpRequest request) {}

  private static HttpRequest requestOf(HttpHead head) {
    return head.progress() == HttpHead.Progress.COMPLETE ? head.request() : null;
  }

  /** What the head reader should make of {@code sent}, written plainly. */
  private static Outcome model(byte[] sent, int bound) {
    int end = indexOf(sent, new byte[] {'\r', '\n', '\r', '\n'});
    if (end >= 0 && end + 4 <= bound) {
      return new Outcome(HttpHead.Progress.COMPLETE, end + 4, HttpRequest.parse(sent, end));
    }
    if (sent.length >= bound) {
      return new Outcome(HttpHead.Progress.TOO_LARGE, bound, null);
    }
    return new Outcome(HttpHead.Progress.INCOMPLETE, sent.length, null);
  }

  private static int indexOf(byte[] bytes, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= bytes.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (bytes[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The leading digits of {@code token} as a number (at most 99999), 0 if none. */
  private static int number(String token) {
    int value = 0;
    for (int i = 0;
        i < token.length() && i < 5 && token.charAt(i) >= '0' && token.charAt(i) <= '9';
        i++) {
      value = value * 10 + (token.charAt(i) - '0');
    }
    return value;
  }
}
