package dev.parley.server;

import static org.awaitility.Awaitility.await;

import dev.parley.server.history.HistoryStore;
import dev.parley.server.history.StoreException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A chat server on 127.0.0.1 and a free port for one test, with the clients the test opened on it;
 * {@link #close()} closes the clients, then the server. Test thread only.
 */
final class RunningServer implements AutoCloseable {
  private final ChatServer server;
  private final List<LineClient> clients = new ArrayList<>();

  private RunningServer(ChatServer server) {
    this.server = server;
  }

  /** The command line's defaults (rate allowance, timeouts, ...) with history in memory. */
  static ServerConfig defaults() {
    return ServerConfig.defaults().withMemoryStore();
  }

  /** A server with {@link #defaults()}. */
  static RunningServer start() throws IOException, StoreException {
    return start(defaults());
  }

  /** A server with {@code config}, but bound to 127.0.0.1 and a port the system picks. */
  static RunningServer start(ServerConfig config) throws IOException, StoreException {
    return new RunningServer(ChatServer.start(config.withAddress("127.0.0.1", 0)));
  }

  /** A server with {@link #defaults()}, {@code store} and {@code clock}. */
  static RunningServer start(HistoryStore store, Clock clock) throws IOException, StoreException {
    ServerConfig config = defaults().withAddress("127.0.0.1", 0);
    return new RunningServer(ChatServer.start(config, store, clock));
  }

  ChatServer server() {
    return server;
  }

  int port() {
    return server.port();
  }

  LineClient connect(String label) throws IOException {
    return track(LineClient.connect(port(), label));
  }

  LineClient connect(String label, int receiveBufferBytes) throws IOException {
    return track(LineClient.connect(port(), label, receiveBufferBytes));
  }

  /** A client signed in as {@code name}, its sign-in history already read. */
  LineClient signIn(String name) throws IOException {
    LineClient client = connect(name);
    client.signIn(name);
    return client;
  }

  /** Waits until exactly {@code n} users are signed in. */
  void awaitUsersOnline(int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> server.usersOnline() == n);
  }

  /** Waits until exactly {@code n} connections are open, signed in or not. */
  void awaitOpenConnections(int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == n);
  }

  private LineClient track(LineClient client) {
    synchronized (clients) {
      clients.add(client);
    }
    return client;
  }

  @Override
  public void close() throws IOException {
    synchronized (clients) {
      for (LineClient c : clients) {
        c.close();
      }
      clients.clear();
    }
    server.close();
  }
}
