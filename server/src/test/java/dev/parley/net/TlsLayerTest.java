package dev.parley.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.parley.server.TestCertificates;
import dev.parley.server.tls.TlsCredentials;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import tlschannel.ClientTlsChannel;
import tlschannel.TlsChannel;

/**
 * The TLS layer over a real loopback socket, driven step by step on one thread so that the order of
 * the bytes in the kernel is fixed.
 */
class TlsLayerTest {
  private static final byte[] FIRST_LINE = "NICK ann\n".getBytes(StandardCharsets.US_ASCII);
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * tls-channel borrows a buffer of up to a record for each read and write and gives it back at the
   * end of the call; lent from the layer's pool, a small write allocates no such buffer. Without
   * the pool each write allocated and zeroed at least 4 KiB; the JDK's own cipher still allocates a
   * few hundred bytes per record, which the bound leaves room for.
   */
  @Test
  void writesBorrowTheirRecordBuffersFromThePool() throws Exception {
    TestCertificates.Pair pair = TestCertificates.localhost();
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress("127.0.0.1", 0));
      SocketChannel clientSocket = SocketChannel.open(listener.getLocalAddress());
      SocketChannel serverSocket = listener.accept();
      serverSocket.configureBlocking(false);
      TransportLayer server =
          TlsLayer.factory(TlsCredentials.load(pair.pem()), Runnable::run, Runnable::run)
              .open(serverSocket, new TransportLayer.Host(() -> {}, next -> {}));
      SSLEngine engine = pair.trustingClient().createSSLEngine("localhost", 0);
      engine.setUseClientMode(true);
      TlsChannel client = ClientTlsChannel.newBuilder(clientSocket, engine).build(); // blocking
      Thread handshake = // the client blocks until the server has answered
          new Thread(
              () -> {
                try {
                  client.write(ByteBuffer.wrap(FIRST_LINE));
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      handshake.start();
      ByteBuffer in = ByteBuffer.allocate(1024);
      while (server.read(in) == 0 || !server.isEstablished()) {
        // the handshake, on this thread's polls
      }
      handshake.join();

      byte[] line = new byte[64];
      java.util.Arrays.fill(line, (byte) 'x');
      ByteBuffer received = ByteBuffer.allocate(64 * 100);
      long allocated = 0;
      int writes = 2000;
      for (int i = 0; i < writes; i++) {
        ByteBuffer out = ByteBuffer.wrap(line);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        server.write(out);
        allocated += THREADS.getCurrentThreadAllocatedBytes() - before;
        assertFalse(out.hasRemaining());
        received.clear().limit(64);
        while (received.hasRemaining()) {
          client.read(received);
        }
      }
      long perWrite = allocated / writes;
      assertTrue(perWrite < 2048, "bytes allocated per write: " + perWrite);
      clientSocket.close();
      serverSocket.close();
    }
  }
}
