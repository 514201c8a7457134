package dev.parley.server;

/** {@link TimersEndToEndTest} over TLS: the same tests, each client on the server's TLS port. */
class TimersOverTlsEndToEndTest extends TimersEndToEndTest {
  @Override
  boolean overTls() {
    return true;
  }
}
