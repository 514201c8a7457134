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

  /** Parses the head in {@code bytes[0, length)}, the blank line excluded; null if malformed. */
  public static HttpRequest parse(byte[] bytes, int length) {
    String head = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n", -1);
    String[] requestLine = lines[0].split(" ", -1);
    if (requestLine.length != 3
        || !requestLine[2].startsWith("HTTP/1.")
        || !requestLine[1].startsWith("/")) {
      return null;
    }
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        return null;
      }
      String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).trim();
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    String target = requestLine[1];
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    return new HttpRequest(requestLine[0], path, headers);
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
