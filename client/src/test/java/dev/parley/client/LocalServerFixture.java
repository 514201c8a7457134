package dev.parley.client;

import dev.parley.server.ChatServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * For tests against the real server: one in-process on 127.0.0.1 at a free port for each test,
 * history in memory ({@link ClientRun#localServer}), closed after it.
 */
abstract class LocalServerFixture {
  protected ChatServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = ClientRun.localServer(0);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }
}
