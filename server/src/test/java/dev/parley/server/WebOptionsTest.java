package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.server.tls.TlsConfig;
import dev.parley.server.web.WebConfig;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.ParseException;
import org.junit.jupiter.api.Test;

/** The web port's options of the command line. */
class WebOptionsTest {
  private static final TlsConfig TLS = TlsConfig.pem(5443, Path.of("c.pem"), Path.of("k.pem"));

  private static WebConfig web(boolean classroom, TlsConfig tls, String... args)
      throws ParseException {
    return WebConfig.from(
        new DefaultParser().parse(ServerOptions.options(), args), classroom, tls != null);
  }

  @Test
  void noWebPortMeansNoWebPort() throws ParseException {
    assertNull(web(false, null));
  }

  @Test
  void thePortTheOriginsAndTlsAreRead() throws ParseException {
    assertEquals(
        new WebConfig(8080, List.of("https://a.example", "http://b.example:8000"), true),
        web(
            false,
            TLS,
            "--web-port",
            "8080",
            "--web-origin",
            "https://a.example, http://b.example:8000",
            "--web-tls"));
  }

  @Test
  void halfAWebSetupIsRefusedWithAReason() {
    assertMessage("--web-origin needs --web-port", false, null, "--web-origin", "https://a");
    assertMessage("--web-tls needs --web-port", false, TLS, "--web-tls");
    assertMessage(
        "--web-tls needs the TLS options (--tls-port and its certificate)",
        false,
        null,
        "--web-port",
        "8080",
        "--web-tls");
    assertMessage("--web-port is for chat mode", true, null, "--web-port", "8080");
  }

  private static void assertMessage(
      String message, boolean classroom, TlsConfig tls, String... args) {
    assertEquals(
        message, assertThrows(ParseException.class, () -> web(classroom, tls, args)).getMessage());
  }
}
