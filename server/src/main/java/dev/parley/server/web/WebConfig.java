package dev.parley.server.web;

import dev.parley.cli.Setting;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.ParseException;

/**
 * The web port's settings.
 *
 * @param port the port of the page and of WebSocket at {@code /ws} (0: any free port)
 * @param origins origins other than the page's own that may open the WebSocket, as a browser sends
 *     them ({@code https://chat.example.org})
 * @param tls whether the port serves https and wss with the TLS port's certificate
 */
public record WebConfig(int port, List<String> origins, boolean tls) {
  static final Setting<Object> PORT =
      Setting.wholeOrOff(
          "web-port",
          "PORT",
          "also serve the chat page and WebSocket (/ws) to browsers on this port (off by default)",
          0,
          65535);
  static final Setting<Object> ORIGIN =
      Setting.text(
          "web-origin",
          "ORIGINS",
          "web: other origins whose pages may open the WebSocket, comma-separated, e.g."
              + " https://chat.example.org; the page's own is allowed when loaded by one of the"
              + " server's names: --host, localhost/127.0.0.1/[::1] when that is a loopback"
              + " address or 0.0.0.0, the machine's addresses and host name (and name.local) with"
              + " 0.0.0.0, the certificate's names with --web-tls; any other page gets 403, one"
              + " loaded by another name 421 (DNS rebinding)",
          null,
          null);
  static final Setting<Object> TLS =
      Setting.onOff(
          "web-tls", "web: serve https and wss on the web port with the TLS certificate", null);

  /** The web port's rows of the server's option table. */
  public static final List<Setting<Object>> SETTINGS = List.of(PORT, ORIGIN, TLS);

  public WebConfig {
    origins = List.copyOf(origins);
  }

  /**
   * The web port's settings when {@code --web-port} was given, else null. Its options without the
   * port, in classroom mode, or {@code --web-tls} without a TLS port are refused.
   */
  public static WebConfig from(CommandLine line, boolean classroom, boolean tlsPort)
      throws ParseException {
    if (!PORT.given(line)) {
      for (Setting<Object> row : List.of(ORIGIN, TLS)) {
        if (row.given(line)) {
          throw new ParseException("--" + row.name() + " needs --web-port");
        }
      }
      return null;
    }
    if (classroom) {
      throw new ParseException("--web-port is for chat mode");
    }
    if (TLS.given(line) && !tlsPort) {
      throw new ParseException("--web-tls needs the TLS options (--tls-port and its certificate)");
    }
    List<String> origins = new ArrayList<>();
    String given = ORIGIN.text(line);
    if (given != null) {
      for (String origin : given.split(",")) {
        if (!origin.isBlank()) {
          origins.add(origin.strip());
        }
      }
    }
    return on((int) PORT.whole(line)).withOrigins(origins).withTls(TLS.given(line));
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
