package dev.parley.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.parley.protocol.Frame;
import dev.parley.protocol.Wire;
import dev.parley.server.TestCertificates;
import dev.parley.server.tls.TlsCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's side of the shared transport: a {@link Connector} connects from the same loop that
 * serves the {@link Acceptor}, over plain TCP and over TLS in client mode ({@link
 * TlsLayer#client}), and each side's handler gets the other's lines through the same {@link
 * Connection}.
 */
class ConnectorTest {
  private static final Connection.Limits LIMITS = Connection.Limits.of(4096, 64 * 1024);
  private static final long TIMEOUT_NANOS = 10_000_000_000L;

  private final EventLoop loop = newLoop();
  private final ExecutorService crypto = Executors.newSingleThreadExecutor();
  private final BlockingQueue<String> clientGot = new LinkedBlockingQueue<>();
  private final BlockingQueue<IOException> failures = new LinkedBlockingQueue<>();

  private static EventLoop newLoop() {
    try {
      EventLoop loop = new EventLoop("connector-test");
      loop.start();
      return loop;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() {
    loop.close();
    crypto.shutdownNow();
  }

  /** The server's side: every line comes back with "echo " before it. */
  private static Function<Connection, ConnectionHandler> echo() {
    return peer -> new Handler(text -> peer.enqueue(Wire.encode("echo " + text)));
  }

  /** The client's side: says hello at once, and keeps what it is told. */
  private Function<Peer, ConnectionHandler> client() {
    return peer -> {
      peer.enqueue(Wire.encode("hello"));
      return new Handler(clientGot::add);
    };
  }

  private Acceptor open(TransportLayer.Factory layers) throws Exception {
    Acceptor[] acceptor = new Acceptor[1];
    OnLoop.run(
        loop,
        () -> {
          try {
            acceptor[0] =
                Acceptor.open(
                    loop,
                    new InetSocketAddress("127.0.0.1", 0),
                    LIMITS,
                    new ClientCap(10),
                    echo(),
                    layers);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    return acceptor[0];
  }

  private void connect(InetSocketAddress address, TransportLayer.Factory layers)
      throws InterruptedException {
    OnLoop.run(
        loop,
        () ->
            Connector.connect(
                loop, address, LIMITS, layers, client(), failures::add, TIMEOUT_NANOS));
  }

  @Test
  void aPlainConnectionCarriesLinesBothWays() throws Exception {
    Acceptor acceptor = open(TransportLayer.PLAIN);

    connect(acceptor.localAddress(), TransportLayer.PLAIN);

    assertEquals("echo hello", clientGot.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void aTlsClientConnectionOnTheSameLoopCarriesLinesBothWays() throws Exception {
    TestCertificates.Pair pair = TestCertificates.localhost();
    Acceptor acceptor = open(TlsLayer.factory(TlsCredentials.load(pair.pem()), crypto, loop));
    int port = acceptor.localAddress().getPort();

    connect(
        acceptor.localAddress(),
        TlsLayer.client(
            () -> {
              SSLEngine engine = pair.trustingClient().createSSLEngine("localhost", port);
              engine.setUseClientMode(true);
              return engine;
            },
            session -> {},
            crypto,
            loop));

    assertEquals("echo hello", clientGot.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void aRefusedConnectIsToldToTheCallerOnce() throws Exception {
    InetSocketAddress nobody;
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      nobody = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
    }

    connect(nobody, TransportLayer.PLAIN);

    assertNotNull(failures.poll(10, TimeUnit.SECONDS), "the refusal");
    assertEquals(null, failures.poll(200, TimeUnit.MILLISECONDS), "told once");
  }

  /** A handler that hands each line's text on. */
  private record Handler(java.util.function.Consumer<String> lines) implements LineHandler {
    @Override
    public void onFrame(Frame frame) {
      if (frame instanceof Frame.Text text) {
        lines.accept(text.text());
      }
    }

    @Override
    public void onEndOfInput() {}

    @Override
    public void onClose(String reason) {}
  }
}
