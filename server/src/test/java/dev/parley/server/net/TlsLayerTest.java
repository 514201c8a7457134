package dev.parley.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.TestCertificates;
import dev.parley.server.tls.TlsCredentials;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import tlschannel.ClientTlsChannel;
import tlschannel.NeedsReadException;
import tlschannel.TlsChannel;

/**
 * The TLS layer over a real loopback socket, driven step by step on one thread so that the order of
 * the bytes in the kernel is fixed.
 */
class TlsLayerTest {
  private static final byte[] GREETING = "C HELLO parley\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FIRST_LINE = "NICK ann\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * The server's greeting waits for the handshake, so its flush drives the handshake too; when the
   * client's Finished and its first line are both in the socket at that flush, the write takes both
   * from the socket and the line waits inside the engine, where no select reports it. The layer
   * must say so, or the connection waits for a read event that never comes (the sign-in timeout
   * seen with 100 bench clients on a loaded machine).
   */
  @Test
  void aWriteThatFinishesTheHandshakeReportsTheInputItTookFromTheSocket() throws Exception {
    TestCertificates.Pair pair = TestCertificates.localhost();
    try (ServerSocketChannel listener = ServerSocketChannel.open();
        Selector selector = Selector.open()) {
      listener.bind(new InetSocketAddress("127.0.0.1", 0));
      SocketChannel clientSocket = SocketChannel.open(listener.getLocalAddress());
      SocketChannel serverSocket = listener.accept();
      serverSocket.configureBlocking(false);
      clientSocket.configureBlocking(false);
      SelectionKey key = serverSocket.register(selector, SelectionKey.OP_READ);
      TransportLayer server =
          TlsLayer.factory(TlsCredentials.load(pair.pem()), Runnable::run, Runnable::run)
              .open(serverSocket, () -> {});
      SSLEngine engine = pair.trustingClient().createSSLEngine("localhost", 0);
      engine.setUseClientMode(true);
      TlsChannel client = ClientTlsChannel.newBuilder(clientSocket, engine).build();

      ByteBuffer line = ByteBuffer.wrap(FIRST_LINE);
      clientWrite(client, line); // sends the ClientHello, then waits for the server
      awaitReadable(selector, key);
      while (!server.writeWaitsForRead()) { // the greeting's flush answers the ClientHello
        assertEquals(0, server.write(ByteBuffer.wrap(GREETING)));
      }
      while (line.hasRemaining()) { // the client's Finished, then its first line, in the socket
        clientWrite(client, line);
      }
      awaitReadable(selector, key);

      ByteBuffer greeting = ByteBuffer.wrap(GREETING);
      server.write(greeting); // takes the Finished and the line behind it, then sends the greeting
      assertTrue(server.isEstablished());
      assertFalse(greeting.hasRemaining());
      selector.selectedKeys().clear();
      assertEquals(0, selector.selectNow(), "the socket holds nothing more");
      assertTrue(server.hasBufferedInput(), "the line waits inside the layer");

      ByteBuffer read = ByteBuffer.allocate(100);
      server.read(read);
      assertEquals("NICK ann\n", new String(read.array(), 0, read.position(), "US-ASCII"));
      clientSocket.close();
      serverSocket.close();
    }
  }

  private static void clientWrite(TlsChannel client, ByteBuffer line) throws Exception {
    try {
      client.write(line);
    } catch (NeedsReadException e) {
      // the handshake waits for the server's bytes
    }
  }

  private static void awaitReadable(Selector selector, SelectionKey key) throws Exception {
    selector.selectedKeys().clear();
    while (!selector.selectedKeys().contains(key)) {
      selector.select(10_000);
    }
    selector.selectedKeys().clear();
  }
}
