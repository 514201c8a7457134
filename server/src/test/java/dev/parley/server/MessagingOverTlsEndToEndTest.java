package dev.parley.server;

/** {@link MessagingEndToEndTest} over TLS: the same tests, each client on the server's TLS port. */
class MessagingOverTlsEndToEndTest extends MessagingEndToEndTest {
  @Override
  boolean overTls() {
    return true;
  }
}
