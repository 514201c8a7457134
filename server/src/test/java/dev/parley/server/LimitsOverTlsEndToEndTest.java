package dev.parley.server;

/** {@link LimitsEndToEndTest} over TLS: the same tests, each client on the server's TLS port. */
class LimitsOverTlsEndToEndTest extends LimitsEndToEndTest {
  @Override
  boolean overTls() {
    return true;
  }
}
