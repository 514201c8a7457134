package dev.parley.server.web;

import dev.parley.net.TransportLayer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * The socket as a test plays it, below a web layer: the bytes a client sent, then what the layer
 * wrote, taking only {@code room} bytes more.
 */
final class ScriptedLayer implements TransportLayer {
  final ByteArrayOutputStream written = new ByteArrayOutputStream();
  int room = Integer.MAX_VALUE;
  private ByteBuffer input = ByteBuffer.allocate(0);

  /**
   * The web port's head layer over this socket, as a plain port on 127.0.0.1 with no other origins
   * and a 4096-byte line limit; the layer it hands over to goes to {@code replaced}.
   */
  HttpHeadLayer headLayer(Consumer<TransportLayer> replaced) {
    return new HttpHeadLayer(
        this,
        new HttpHeadLayer.Port(
            new WebPage(),
            new ServerFrames(),
            List.of(),
            new OwnNames(List.of("127.0.0.1"), List::of),
            false,
            4096),
        new TransportLayer.Host(() -> {}, replaced),
        null);
  }

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
