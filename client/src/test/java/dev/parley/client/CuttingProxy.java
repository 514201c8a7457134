package dev.parley.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 between one client and a server that the test can cut: {@link #cut} ends
 * the current connection on both sides at once, as a network failure would (by reset or by close,
 * alternately). A plain thread per direction; for tests only.
 */
final class CuttingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int serverPort;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong downstreamBytes = new AtomicLong(); // of the current connection
  private volatile Socket client;
  private volatile Socket server;
  private volatile boolean closed;

  CuttingProxy(int serverPort) throws IOException {
    this.serverPort = serverPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** How many client connections have been made through the proxy so far. */
  int connections() {
    return connections.get();
  }

  /** Bytes passed from the server to the client on the current connection. */
  long downstreamBytes() {
    return downstreamBytes.get();
  }

  /** Ends the current connection on both sides; {@code reset} sends RST instead of FIN. */
  void cut(boolean reset) throws IOException {
    for (Socket s : new Socket[] {client, server}) {
      if (s != null && !s.isClosed()) {
        try {
          if (reset) {
            s.setSoLinger(true, 0);
          }
        } catch (IOException e) {
          // closed meanwhile by a pump: the cut is done
        }
        s.close();
      }
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket accepted = listener.accept();
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort));
        accepted.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        downstreamBytes.set(0);
        client = accepted;
        server = upstream;
        pump(accepted, upstream, null);
        pump(upstream, accepted, downstreamBytes);
        connections.incrementAndGet();
      } catch (IOException e) {
        // closed, or the server refused: the client sees its connection end and tries again
      }
    }
  }

  private void pump(Socket from, Socket to, AtomicLong counter) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, n);
                  if (counter != null) {
                    counter.addAndGet(n);
                  }
                }
              } catch (IOException e) {
                // cut: the other pump ends too once its socket is closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    cut(false);
  }
}
