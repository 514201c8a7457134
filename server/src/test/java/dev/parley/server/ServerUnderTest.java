package dev.parley.server;

import static org.awaitility.Awaitility.await;

import dev.parley.server.store.Store;
import dev.parley.server.store.StoreException;
import dev.parley.server.tls.TlsConfig;
import dev.parley.server.web.WebConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The chat server an end-to-end test talks to, on 127.0.0.1 and a port the system picks, with the
 * clients the test opened on it. Registered as an extension, so that a test class states only which
 * server it wants:
 *
 * <pre>{@code @RegisterExtension final ServerUnderTest server = ServerUnderTest.started();}</pre>
 *
 * After each test it closes the clients, then the server. Test thread only.
 */
public final class ServerUnderTest implements BeforeEachCallback, AfterEachCallback {
  /** How a server is started; kept so that {@link #restart()} starts the same kind again. */
  @FunctionalInterface
  private interface Starter {
    ChatServer start() throws IOException, StoreException;
  }

  private final Starter beforeEach; // null: each test starts its own
  private final List<LineClient> clients = new ArrayList<>();
  private Starter lastStart;
  private ChatServer server;
  private boolean tls; // clients connect to the TLS port (the certificate of TestCertificates)
  private boolean webSocket; // clients connect to the web port as browser users

  private ServerUnderTest(Starter beforeEach) {
    this.beforeEach = beforeEach;
  }

  /** The command line's defaults (rate allowance, timeouts, ...) with history in memory. */
  public static ServerConfig defaults() {
    return ServerConfig.defaults().withMemoryStore();
  }

  /** Started before each test with {@link #defaults()}. */
  public static ServerUnderTest started() {
    return startedWith(ServerUnderTest::defaults);
  }

  /**
   * Started before each test with {@code config}, which is asked for only then, so that it may use
   * the test's {@code @TempDir}.
   */
  public static ServerUnderTest startedWith(Supplier<ServerConfig> config) {
    ServerUnderTest[] self = new ServerUnderTest[1];
    self[0] = new ServerUnderTest(() -> self[0].startNow(config.get()));
    return self[0];
  }

  /** Not started for the test: each test calls one of the {@code start} methods itself. */
  public static ServerUnderTest startedByEachTest() {
    return new ServerUnderTest(null);
  }

  /**
   * Runs the server with a TLS port as well, and makes every client connect to it over TLS: the
   * same tests, the other transport. {@code on} false leaves plain TCP.
   */
  public ServerUnderTest overTls(boolean on) {
    tls = on;
    return this;
  }

  public boolean isOverTls() {
    return tls;
  }

  /**
   * Runs the server with a web port as well, and makes every client a browser user on it: the
   * upgrade to WebSocket, then one line per text message. {@code on} false leaves plain TCP.
   */
  public ServerUnderTest overWebSocket(boolean on) {
    webSocket = on;
    return this;
  }

  /** Whether clients connect on plain TCP to the chat port, the only one that answers a 503. */
  public boolean isPlainTcp() {
    return !tls && !webSocket;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (beforeEach != null) {
      start(beforeEach);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    stop();
  }

  /** Starts a server with {@code config}, but bound to 127.0.0.1 and a port the system picks. */
  public void start(ServerConfig config) throws IOException, StoreException {
    start(() -> startNow(config));
  }

  /** Starts a server with {@code config} and this TLS port (its port 0: one the system picks). */
  public void start(ServerConfig config, TlsConfig tlsConfig) throws IOException, StoreException {
    tls = true;
    start(() -> ChatServer.with(local(config)).tls(tlsConfig).start());
  }

  private ChatServer startNow(ServerConfig config) throws IOException, StoreException {
    return ChatServer.with(local(config)).tls(tlsConfig()).web(webConfig()).start();
  }

  private TlsConfig tlsConfig() {
    return tls ? TestCertificates.localhost().pem() : null;
  }

  private WebConfig webConfig() {
    return webSocket ? WebConfig.on(0) : null;
  }

  /** Starts a server with {@code config} on {@code machine} (its clock and hasher). */
  public void start(ServerConfig config, ChatServer.Machine machine)
      throws IOException, StoreException {
    start(() -> ChatServer.with(local(config)).machine(machine).start());
  }

  /** Starts a server with {@link #defaults()}, {@code store} and {@code clock}. */
  public void start(Store store, Clock clock) throws IOException, StoreException {
    start(
        () ->
            ChatServer.with(local(defaults()))
                .tls(tlsConfig())
                .web(webConfig())
                .store(store)
                .clock(clock)
                .start());
  }

  private void start(Starter starter) throws IOException, StoreException {
    if (server != null) {
      throw new IllegalStateException("a server is running already; stop() it first");
    }
    server = starter.start();
    lastStart = starter;
  }

  private static ServerConfig local(ServerConfig config) {
    return config.withAddress("127.0.0.1", 0);
  }

  /** Closes the clients, then the server, as after the test; nothing happens if none runs. */
  public void stop() throws IOException {
    for (LineClient c : clients) {
      c.close();
    }
    clients.clear();
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Stops the server and starts the same kind again (the same config, or store and clock). */
  public void restart() throws IOException, StoreException {
    stop();
    start(lastStart);
  }

  public ChatServer server() {
    return server;
  }

  /** The port the clients connect to: the TLS port when over TLS, the web port over WebSocket. */
  public int port() {
    if (webSocket) {
      return server.webAddress().getPort();
    }
    return tls ? server.tlsAddress().getPort() : server.port();
  }

  public LineClient connect(String label) throws IOException {
    return connect(label, 0);
  }

  /** A client on the plain TCP chat port from the loopback address {@code from} (127.x.y.z). */
  public LineClient connectFrom(String label, InetAddress from) throws IOException {
    return track(LineClient.connectFrom(server.port(), label, from));
  }

  /** A client on the plain TCP chat port, whatever port the others use. */
  public LineClient connectPlain(String label) throws IOException {
    return track(LineClient.connect(server.port(), label));
  }

  /** A client over TLS that trusts what {@code tls} trusts. */
  public LineClient connect(String label, SSLContext tls) throws IOException {
    return track(LineClient.connect(port(), label, 0, tls));
  }

  public LineClient connect(String label, int receiveBufferBytes) throws IOException {
    if (webSocket) {
      return track(LineClient.connectWebSocket(port(), label, receiveBufferBytes));
    }
    return track(LineClient.connect(port(), label, receiveBufferBytes, clientTls()));
  }

  /**
   * A socket to the server for a test that reads and writes it itself (over TLS if the rest is).
   */
  public Socket socket(int receiveBufferBytes) throws IOException {
    if (webSocket) {
      return LineClient.connectWebSocketSocket(port(), receiveBufferBytes);
    }
    return LineClient.socket(port(), receiveBufferBytes, clientTls());
  }

  private SSLContext clientTls() {
    return tls ? TestCertificates.localhost().trustingClient() : null;
  }

  /** A client signed in as {@code name}, its sign-in history already read. */
  public LineClient signIn(String name) throws IOException {
    LineClient client = connect(name);
    client.signIn(name);
    return client;
  }

  /** A client signed in as {@code name}, once each of {@code signedIn} has read its C JOIN. */
  public LineClient signInSeenBy(String name, LineClient... signedIn) throws IOException {
    LineClient client = signIn(name);
    for (LineClient other : signedIn) {
      other.expect("C JOIN " + name);
    }
    return client;
  }

  /** A client signed in with a password of this {@code kind} (NEW or EXISTING). */
  public LineClient signIn(String name, String password, String kind) throws IOException {
    LineClient client = connect(name);
    client.signIn(name, password, kind);
    return client;
  }

  /** Waits until exactly {@code n} users are signed in. */
  public void awaitUsersOnline(int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> server.usersOnline() == n);
  }

  /** Waits until exactly {@code n} connections are open, signed in or not. */
  public void awaitOpenConnections(int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == n);
  }

  private LineClient track(LineClient client) {
    clients.add(client);
    return client;
  }
}
