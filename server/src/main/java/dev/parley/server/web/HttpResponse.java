package dev.parley.server.web;

import java.nio.charset.StandardCharsets;

/**
 * A whole HTTP/1.1 response to the one request a connection of the server's hand-written HTTP
 * serves: status line, {@code Content-Type}, {@code Content-Length}, any further header lines,
 * {@code Connection: close}, then the body unless the request was HEAD. Bodies are small and known
 * up front (a page file, an error line, the metrics text), so the response is one array to write.
 */
public final class HttpResponse {
  private HttpResponse() {}

  /**
   * The response {@code code reason} with {@code body} of type {@code contentType}; {@code
   * moreHeaders} is zero or more whole header lines, each ending in CRLF. With {@code headOnly}
   * (the answer to HEAD) the body is left out, its length still told (RFC 9110 section 9.3.2).
   */
  public static byte[] of(
      int code,
      String reason,
      String contentType,
      String moreHeaders,
      byte[] body,
      boolean headOnly) {
    String head =
        "HTTP/1.1 "
            + code
            + " "
            + reason
            + "\r\nContent-Type: "
            + contentType
            + "\r\nContent-Length: "
            + body.length
            + "\r\n"
            + moreHeaders
            + "Connection: close\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    if (headOnly) {
      return headBytes;
    }
    byte[] all = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(body, 0, all, headBytes.length, body.length);
    return all;
  }
}
