package dev.parley.server;

/** {@link SignInEndToEndTest} over TLS: the same tests, each client on the server's TLS port. */
class SignInOverTlsEndToEndTest extends SignInEndToEndTest {
  @Override
  boolean overTls() {
    return true;
  }
}
