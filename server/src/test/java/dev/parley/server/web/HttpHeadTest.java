package dev.parley.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpHeadTest {

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void aHeadInPiecesEndsAtTheBlankLineAndLeavesWhatFollows() {
    HttpHead head = new HttpHead();
    assertEquals(HttpHead.Progress.INCOMPLETE, head.take(ascii("GET /metrics?x=1 HTTP/1.1\r\nHo")));
    ByteBuffer rest = ascii("st: a\r\n\r\nbody");
    assertEquals(HttpHead.Progress.COMPLETE, head.take(rest));
    assertEquals("body", StandardCharsets.ISO_8859_1.decode(rest).toString());
    assertEquals(new HttpRequest("GET", "/metrics", java.util.Map.of("host", "a")), head.request());
    assertEquals(0, head.bytesHeld());
  }

  @Test
  void aFullBufferWithoutABlankLineIsTooLargeAtOnce() {
    HttpHead head = new HttpHead();
    ByteBuffer big = ascii("GET / HTTP/1.1\r\nX: " + "a".repeat(HttpRequest.MAX_HEAD_BYTES));
    assertEquals(HttpHead.Progress.TOO_LARGE, head.take(big));
    assertEquals(HttpRequest.MAX_HEAD_BYTES, big.position());
  }

  @Test
  void aMalformedHeadEndsWithNoRequest() {
    HttpHead head = new HttpHead();
    assertEquals(
        HttpHead.Progress.COMPLETE, head.take(ascii("GET / HTTP/1.1\r\nno colon\r\n\r\n")));
    assertNull(head.request());
  }

  @Test
  void aBareLfEndsNoHead() {
    HttpHead head = new HttpHead();
    assertEquals(HttpHead.Progress.INCOMPLETE, head.take(ascii("GET /healthz HTTP/1.0\n\n")));
  }
}
