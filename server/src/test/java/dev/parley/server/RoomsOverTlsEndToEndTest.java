package dev.parley.server;

/** {@link RoomsEndToEndTest} over TLS: the same tests, each client on the server's TLS port. */
class RoomsOverTlsEndToEndTest extends RoomsEndToEndTest {
  @Override
  boolean overTls() {
    return true;
  }
}
