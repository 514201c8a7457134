package dev.parley.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The page's own files, read once from the server jar's resources ({@code /web/}) and kept as
 * ready-made responses. A path is looked up whole in a fixed table, so nothing outside it (no
 * {@code ..}, no other resource) can ever be served.
 */
final class WebPage {
  private static final Map<String, String> FILES =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/app.js", "app.js",
          "/view.js", "view.js",
          "/connection.js", "connection.js",
          "/style.css", "style.css");

  /**
   * No script, style, image or connection from anywhere but this server; no framing by others. The
   * WebSocket is this server too ({@code 'self'} covers ws and wss of the same host in current
   * browsers).
   */
  static final String SECURITY_HEADERS =
      "Content-Security-Policy: default-src 'self'; frame-ancestors 'none'; base-uri 'none'\r\n"
          + "X-Content-Type-Options: nosniff\r\n"
          + "Referrer-Policy: no-referrer\r\n";

  /**
   * Over https, the browser is told to use https for this host name from then on (HSTS), so that
   * nobody on the LAN can serve it a plain http copy of the page next time. One day rather than the
   * year or two Mozilla's guidance gives public sites: the header binds every port of the host
   * name, and a teacher's laptop or a LAN box may serve other plain http there (a router page, a
   * second tool); a class day is covered and a mistaken {@code --web-tls} heals by the next day. No
   * {@code includeSubDomains} (the subdomains are not ours), no {@code preload}. Browsers ignore it
   * for an address typed as such.
   */
  static final String HSTS = "Strict-Transport-Security: max-age=86400\r\n";

  private final Map<String, byte[]> responses = new HashMap<>();
  private final String transportHeaders; // HSTS over https, else nothing

  WebPage() {
    this(false);
  }

  /** The page's files, as served over https when {@code https}. */
  WebPage(boolean https) {
    transportHeaders = https ? HSTS : "";
    Map<String, byte[]> loaded = new HashMap<>();
    for (Map.Entry<String, String> file : FILES.entrySet()) {
      byte[] body = loaded.computeIfAbsent(file.getValue(), WebPage::resource);
      responses.put(file.getKey(), response(file.getValue(), body));
    }
  }

  /** The whole response for {@code path}, or null when the page has no such file. */
  byte[] get(String path) {
    return responses.get(path);
  }

  private byte[] response(String name, byte[] body) {
    String head =
        "HTTP/1.1 200 OK\r\n"
            + "Content-Type: "
            + contentType(name)
            + "\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n"
            // The files change with the server: the browser asks again each time (cheap, local).
            + "Cache-Control: no-cache\r\n"
            + SECURITY_HEADERS
            + transportHeaders
            + "Connection: close\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(body, 0, all, headBytes.length, body.length);
    return all;
  }

  private static String contentType(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    return "text/css; charset=utf-8";
  }

  private static byte[] resource(String name) {
    try (InputStream in = WebPage.class.getResourceAsStream("/web/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the server jar lacks /web/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The head of a whole {@code response}, up to and with its blank line: the answer to HEAD, whose
   * Content-Length still tells the length of the body GET would send.
   */
  static byte[] headOnly(byte[] response) {
    for (int i = 3; i < response.length; i++) {
      if (response[i - 3] == '\r'
          && response[i - 2] == '\n'
          && response[i - 1] == '\r'
          && response[i] == '\n') {
        return Arrays.copyOf(response, i + 1);
      }
    }
    throw new IllegalArgumentException("a response without a blank line");
  }

  /** A response with no body worth a file: an error, said in one line of text. */
  byte[] status(int code, String reason, String extraHeaders) {
    return status(code, reason, extraHeaders, "");
  }

  /** As {@link #status(int, String, String)}, the line followed by {@code explanation} (ASCII). */
  byte[] status(int code, String reason, String extraHeaders, String explanation) {
    String body = code + " " + reason + "\n" + explanation;
    String head =
        "HTTP/1.1 "
            + code
            + " "
            + reason
            + "\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: "
            + body.length()
            + "\r\n"
            + "Cache-Control: no-store\r\n"
            + SECURITY_HEADERS
            + transportHeaders
            + extraHeaders
            + "Connection: close\r\n\r\n";
    return (head + body).getBytes(StandardCharsets.US_ASCII);
  }
}
