package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code parley_connections} counts each connection under the port it came in on. */
class MetricsByTransportEndToEndTest {
  @RegisterExtension final ServerUnderTest server = ServerUnderTest.started().overWebSocket(true);

  @Test
  void aBrowserUserIsCountedUnderWebsocketNotUnderTcpOrTls() throws Exception {
    server.signIn("ann");
    List<String> lines = server.server().metrics(Duration.ofSeconds(5)).lines().toList();
    assertTrue(lines.contains("parley_connections{transport=\"websocket\"} 1"), lines.toString());
    assertTrue(lines.contains("parley_connections{transport=\"tcp\"} 0"), lines.toString());
    assertTrue(lines.stream().noneMatch(l -> l.contains("transport=\"tls\"")), lines.toString());
  }
}
