package dev.parley.server;

/**
 * {@link LimitsEndToEndTest} over WebSocket: the same tests, each client a browser user on the web
 * port (the upgrade by hand, then one line per text message).
 */
class LimitsOverWebSocketEndToEndTest extends LimitsEndToEndTest {
  @Override
  boolean overWebSocket() {
    return true;
  }
}
