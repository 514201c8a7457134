package dev.parley.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the client tests against the scripted {@link FakeServer} share: a fake server before each
 * test, and the client run and the server closed after it.
 */
abstract class FakeServerFixture {
  FakeServer server;
  ClientRun client;

  @BeforeEach
  void startServer() throws Exception {
    server = new FakeServer();
  }

  @AfterEach
  void stopAll() throws Exception {
    if (client != null) {
      client.close();
    }
    server.close();
  }
}
