package dev.parley.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRequestTest {

  private static HttpRequest parse(String head) {
    byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
    return HttpRequest.parse(bytes, bytes.length);
  }

  @Test
  void aRequestKeepsItsMethodPathAndHeaders() {
    assertEquals(
        new HttpRequest("GET", "/ws", Map.of("host", "a:1", "accept", "x, y")),
        parse("GET /ws?q HTTP/1.1\r\nHost:  a:1 \r\nAccept: x\r\naccept:y"));
  }

  /**
   * Heads a lenient reader would take and read differently from a strict one in front of it: RFC
   * 9112 wants 400 for whitespace before a colon (section 5.1) and for a line folded onto the one
   * before (5.2); a field name and a method are tokens; a field value holds no control character
   * (RFC 9110 section 5.5; a bare CR would end a line for some readers); the version is exactly
   * HTTP/1.x, so a bare LF cannot hide a header inside it.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET / HTTP/1.1\r\nHost : a",
        "GET / HTTP/1.1\r\nHost: a\r\n  folded",
        "GET / HTTP/1.1\r\n\0: a",
        "GET / HTTP/1.1\r\nX Y: a",
        "GET / HTTP/1.1\r\nOrigin: http://a\rHost: b",
        "GET / HTTP/1.1\r\nX: a\0b",
        "GET / HTTP/1.1\r\nX: \0a",
        "GET / HTTP/1.1\nHost:b",
        " / HTTP/1.1",
        "G(T / HTTP/1.1",
        "GET /\0 HTTP/1.1",
        "GET / HTTP/1.10",
      })
  void aHeadThatOnlyALenientReaderWouldTakeIsMalformed(String head) {
    assertNull(parse(head));
  }
}
