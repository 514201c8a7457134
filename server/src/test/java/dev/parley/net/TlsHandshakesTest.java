package dev.parley.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.Frame;
import dev.parley.server.TestCertificates;
import dev.parley.server.tls.TlsCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handshakes' bounds and their crypto: real {@link TlsLayer}s and {@link Connection}s over
 * {@link FakeSocket}s, so that the test decides when the client's hello, its end of stream or its
 * reset reach the "kernel", and the crypto threads are a list the test runs by hand.
 */
class TlsHandshakesTest {
  private final List<Runnable> handedToCrypto = new ArrayList<>();
  private final List<FakeSocket> sockets = new ArrayList<>();
  private EventLoop loop;
  private TlsHandshakes handshakes;
  private TransportLayer.Factory layers;
  private SSLContext client;

  @BeforeEach
  void open() throws Exception {
    TestCertificates.Pair pair = TestCertificates.localhost();
    loop = new EventLoop("test-loop"); // never started: this thread is its loop thread
    handshakes = new TlsHandshakes(3, 2, 1, handedToCrypto::add, loop);
    layers = TlsLayer.factory(TlsCredentials.load(pair.pem()), handshakes);
    client = pair.trustingClient();
  }

  @AfterEach
  void close() {
    loop.close();
  }

  @Test
  void aHelloWhosePeerHungUpCostsNoCrypto() throws Exception {
    FakeSocket replay = connect("10.0.0.1");
    replay.send(hello());
    replay.endInput(); // the replay tool's close, right behind its hello
    turns();
    assertEquals(List.of(), handedToCrypto, "no delegated task reached a crypto thread");
    assertEquals(1, handshakes.tasksSkipped());
    assertTrue(replay.isClosed());
    assertEquals(0, handshakes.inProgress());
  }

  @Test
  void aHelloWhosePeerStaysGetsItsCrypto() throws Exception {
    FakeSocket real = connect("10.0.0.1");
    real.send(hello());
    turns();
    assertEquals(1, handedToCrypto.size());
    assertEquals(0, handshakes.tasksSkipped());
    assertFalse(real.isClosed());
  }

  @Test
  void aTaskThatWaitsForAThreadIsDroppedIfItsPeerHangsUpMeanwhile() throws Exception {
    FakeSocket first = connect("10.0.0.1");
    FakeSocket second = connect("10.0.0.2");
    first.send(hello());
    second.send(hello());
    turns();
    assertEquals(1, handedToCrypto.size(), "one crypto thread: the second task waits");
    second.reset(); // killed while it waited
    handedToCrypto.remove(0).run(); // the first task ends; the next is asked for its peer
    turns();
    assertEquals(List.of(), handedToCrypto);
    assertEquals(1, handshakes.tasksSkipped());
    assertTrue(second.isClosed());
    assertFalse(first.isClosed());
  }

  @Test
  void beyondTheBoundsANewConnectionIsClosedAtOnce() throws Exception {
    connect("10.0.0.1");
    connect("10.0.0.1");
    assertThrows(TlsHandshakes.Refused.class, () -> connect("10.0.0.1"), "2 per address");
    connect("10.0.0.2");
    assertThrows(TlsHandshakes.Refused.class, () -> connect("10.0.0.3"), "3 in all");
    assertEquals(2, handshakes.refused());
    assertEquals(3, handshakes.inProgress());

    sockets.get(0).connection().closeLater("gone");
    turns();
    assertEquals(2, handshakes.inProgress(), "a closed connection's handshake is over");
    connect("10.0.0.3");
  }

  @Test
  void atTheBoundAHandshakeWhosePeerHasGoneGivesItsPlaceAtOnce() throws Exception {
    connect("10.0.0.1");
    FakeSocket replay = connect("10.0.0.1");
    replay.send(hello());
    replay.endInput(); // not read yet: the next connection's admission finds it gone
    FakeSocket newcomer = connect("10.0.0.1");
    turns();
    assertTrue(replay.isClosed());
    assertFalse(newcomer.isClosed());
    assertEquals(0, handshakes.refused());
    assertEquals(List.of(), handedToCrypto, "the gone peer's hello never reached the crypto");
  }

  private FakeSocket connect(String address) throws IOException {
    FakeSocket socket =
        new FakeSocket(
            loop,
            new InetSocketAddress(address, 40000),
            Connection.Limits.of(4096, 1 << 20),
            connection -> new Silent(),
            bytes -> {},
            layers);
    socket.reading(true);
    sockets.add(socket);
    return socket;
  }

  private byte[] hello() throws Exception {
    SSLEngine engine = client.createSSLEngine("localhost", 0);
    engine.setUseClientMode(true);
    engine.beginHandshake();
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    return bytes;
  }

  /** A few loop iterations, each with a select that reports what the "kernel" holds. */
  private void turns() throws IOException {
    for (int i = 0; i < 3; i++) {
      loop.schedule(0, () -> {}); // a due timer: select returns at once
      for (FakeSocket socket : sockets) {
        socket.poll();
      }
      loop.iterate();
    }
  }

  private static final class Silent implements LineHandler {
    @Override
    public void onFrame(Frame frame) {}

    @Override
    public void onEndOfInput() {}

    @Override
    public void onClose(String reason) {}
  }
}
