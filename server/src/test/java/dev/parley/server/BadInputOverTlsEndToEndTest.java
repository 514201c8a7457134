package dev.parley.server;

/** {@link BadInputEndToEndTest} over TLS: the same tests, each client on the server's TLS port. */
class BadInputOverTlsEndToEndTest extends BadInputEndToEndTest {
  @Override
  boolean overTls() {
    return true;
  }
}
