package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link LimitsEndToEndTest} over WebSocket: the same tests, each client a browser user on the web
 * port (the upgrade by hand, then one line per text message); and the cap shared with TCP.
 */
class LimitsOverWebSocketEndToEndTest extends LimitsEndToEndTest {
  @Override
  boolean overWebSocket() {
    return true;
  }

  @Test
  void maxClientsCountsBrowserAndTcpConnectionsTogether() throws Exception {
    server.start(ServerUnderTest.defaults().toBuilder().maxClients(2).build());
    LineClient console = server.connectPlain("console");
    console.expectStartsWith("C HELLO ");
    LineClient browser = server.connect("browser");
    browser.expectStartsWith("C HELLO ");

    // Two are connected, one on each port: the server is full on both.
    server.connect("third browser").expectClosed();
    LineClient thirdConsole = server.connectPlain("third console");
    thirdConsole.expect("C ERR 503 server full");
    thirdConsole.expectClosed();

    console.nick("console");
    browser.nick("browser");
    console.expect("C JOIN browser");
    assertEquals(2, server.server().openConnections());
  }
}
