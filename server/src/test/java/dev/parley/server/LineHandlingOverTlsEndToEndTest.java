package dev.parley.server;

/**
 * {@link LineHandlingEndToEndTest} over TLS: the same tests, each client on the server's TLS port.
 */
class LineHandlingOverTlsEndToEndTest extends LineHandlingEndToEndTest {
  @Override
  boolean overTls() {
    return true;
  }
}
