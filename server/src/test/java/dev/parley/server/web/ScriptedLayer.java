package dev.parley.server.web;

import dev.parley.net.TransportLayer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The socket as a test plays it, below a web layer: the bytes a client sent, then what the layer
 * wrote, taking only {@code room} bytes more.
 */
final class ScriptedLayer implements TransportLayer {
  final ByteArrayOutputStream written = new ByteArrayOutputStream();
  int room = Integer.MAX_VALUE;
  private ByteBuffer input = ByteBuffer.allocate(0);

  void input(byte[] bytes) {
    input = ByteBuffer.wrap(bytes);
  }

  String takeWritten() {
    String text = written.toString(StandardCharsets.ISO_8859_1);
    written.reset();
    return text;
  }

  @Override
  public int read(ByteBuffer dst) {
    int n = Math.min(dst.remaining(), input.remaining());
    dst.put(dst.position(), input, input.position(), n);
    dst.position(dst.position() + n);
    input.position(input.position() + n);
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    int n = Math.min(room, src.remaining());
    byte[] bytes = new byte[n];
    src.get(bytes);
    written.writeBytes(bytes);
    room -= n;
    return n;
  }

  @Override
  public boolean isEstablished() {
    return true;
  }

  @Override
  public String establishingStep() {
    return "TCP connection";
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public void close() {}
}
