package dev.parley.server.web;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The head of one HTTP/1.1 request: its method, path and headers; just what the page, the WebSocket
 * upgrade and the metrics port need. A head that does not parse is null, answered with 400. {@link
 * HttpHead} reads one as it arrives.
 *
 * @param method as sent, case kept (methods are case-sensitive)
 * @param path the request target up to its query, which is dropped
 * @param headers by lower-case name; a repeated header's values joined with {@code ", "}
 */
public record HttpRequest(String method, String path, Map<String, String> headers) {

  /** The most bytes of a request head, request line and headers with the blank line. */
  public static final int MAX_HEAD_BYTES = 8 * 1024;

  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  /**
   * Parses the head in {@code bytes[0, length)}, the blank line excluded; null if malformed. Strict
   * where a lenient reader could see another request than a strict one in front of it: the method
   * and each field name are tokens, with no space before the colon (RFC 9112 section 5.1, which
   * also rules out a folded line); the target is visible ASCII; the version is exactly {@code
   * HTTP/1.}<i>digit</i>, so a bare LF cannot hide a header inside it; a field value holds no
   * control character but tab (RFC 9110 section 5.5; a bare CR ends a line for some readers).
   */
  public static HttpRequest parse(byte[] bytes, int length) {
    String head = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n", -1);
    String[] requestLine = lines[0].split(" ", -1);
    if (requestLine.length != 3
        || !isToken(requestLine[0])
        || !requestLine[1].startsWith("/")
        || !requestLine[1].chars().allMatch(c -> c > ' ' && c < 0x7f)
        || !requestLine[2].matches("HTTP/1\\.[0-9]")) {
      return null;
    }
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      String name = colon < 0 ? "" : lines[i].substring(0, colon);
      String value = lines[i].substring(colon + 1);
      if (!isToken(name) || value.chars().anyMatch(c -> c < ' ' && c != '\t' || c == 0x7f)) {
        return null;
      }
      // No control character is left, so trim() takes only the spaces and tabs around the value.
      headers.merge(name.toLowerCase(Locale.ROOT), value.trim(), (a, b) -> a + ", " + b);
    }
    String target = requestLine[1];
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    return new HttpRequest(requestLine[0], path, headers);
  }

  /** RFC 9110 section 5.6.2: one or more of the characters a method or a field name is made of. */
  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean letterOrDigit = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
      if (!letterOrDigit && TOKEN_SYMBOLS.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The value of the header {@code name} (lower case), or null. */
  public String header(String name) {
    return headers.get(name);
  }

  /** Whether the comma-separated header {@code name} holds {@code token}, ignoring case. */
  public boolean headerHasToken(String name, String token) {
    String value = headers.get(name);
    if (value == null) {
      return false;
    }
    for (String part : value.split(",")) {
      if (part.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }
}
