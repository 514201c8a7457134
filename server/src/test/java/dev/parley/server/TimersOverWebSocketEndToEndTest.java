package dev.parley.server;

/**
 * {@link TimersEndToEndTest} over WebSocket: the same tests, each client a browser user on the web
 * port (the upgrade by hand, then one line per text message).
 */
class TimersOverWebSocketEndToEndTest extends TimersEndToEndTest {
  @Override
  boolean overWebSocket() {
    return true;
  }
}
