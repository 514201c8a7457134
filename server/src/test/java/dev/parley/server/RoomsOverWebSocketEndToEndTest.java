package dev.parley.server;

/** {@link RoomsEndToEndTest} over WebSocket: the same tests, each client a browser user. */
class RoomsOverWebSocketEndToEndTest extends RoomsEndToEndTest {
  @Override
  boolean overWebSocket() {
    return true;
  }
}
