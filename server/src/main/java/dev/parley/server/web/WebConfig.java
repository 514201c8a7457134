package dev.parley.server.web;

import java.util.List;

/**
 * The web port's settings.
 *
 * @param port the port of the page and of WebSocket at {@code /ws} (0: any free port)
 * @param origins origins other than the page's own that may open the WebSocket, as a browser sends
 *     them ({@code https://chat.example.org})
 * @param tls whether the port serves https and wss with the TLS port's certificate
 */
public record WebConfig(int port, List<String> origins, boolean tls) {
  public WebConfig {
    origins = List.copyOf(origins);
  }

  public static WebConfig on(int port) {
    return new WebConfig(port, List.of(), false);
  }

  public WebConfig withOrigins(List<String> more) {
    return new WebConfig(port, more, tls);
  }

  public WebConfig withTls(boolean on) {
    return new WebConfig(port, origins, on);
  }
}
