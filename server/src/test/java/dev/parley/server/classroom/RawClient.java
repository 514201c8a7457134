package dev.parley.server.classroom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A classroom client as simple as the students' own: a blocking socket that sends exactly the bytes
 * it is given (with or without a line end) and reads lines. Test thread only.
 */
final class RawClient implements AutoCloseable {
  private static final int READ_TIMEOUT_MILLIS = 10_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static RawClient connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    return new RawClient(socket);
  }

  /** Sends {@code text} as UTF-8, exactly: add the line end yourself if you want one. */
  void send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Sends end of stream and keeps reading, as {@code printf ... | nc -N} does. */
  void endOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** The next line without its LF, or null at the end of the stream; fails after 10 s. */
  String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b;
      try {
        b = in.read();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no line from the server within 10 s; got so far: " + line, e);
      }
      if (b < 0) {
        if (line.size() > 0) {
          throw new AssertionError("stream ended inside a line: " + line);
        }
        return null;
      }
      if (b == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
      line.write(b);
    }
  }

  /** Reads the server's next line and checks it. */
  void expect(String line) throws IOException {
    String got = readLine();
    if (!line.equals(got)) {
      throw new AssertionError("expected <" + line + "> but the server sent <" + got + ">");
    }
  }

  /** Checks that the server closes the connection with nothing more to say. */
  void expectClosed() throws IOException {
    String got;
    try {
      got = readLine();
    } catch (IOException e) {
      return; // a reset is a close too
    }
    if (got != null) {
      throw new AssertionError("expected the connection to close, got <" + got + ">");
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
