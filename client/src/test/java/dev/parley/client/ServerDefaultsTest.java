package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.server.ServerConfig;
import org.junit.jupiter.api.Test;

/**
 * The console client's defaults are the server's: a client started without an address reaches a
 * server started without one. The client does not depend on the server, so the values are copies,
 * and this test is what keeps them equal.
 */
class ServerDefaultsTest {

  @Test
  void theClientConnectsWhereAServerListensByDefault() {
    assertEquals(ServerConfig.DEFAULT_HOST, Main.DEFAULT_HOST);
    assertEquals(ServerConfig.DEFAULT_PORT, Main.DEFAULT_PORT);
  }
}
