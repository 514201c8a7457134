package dev.parley.server.web;

import dev.parley.protocol.WebSocketFrames;
import dev.parley.server.WebSocketClientSocket;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A hand-driven client for the web port, for what no well-behaved client sends: raw HTTP, unmasked
 * or broken frames. Blocking, with a read timeout.
 */
final class RawWebClient implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;

  RawWebClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
  }

  void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.UTF_8));
  }

  void send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** Everything the server sends until it closes. */
  String readAll() throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** The response head, up to and with the blank line. */
  String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** Upgrades to WebSocket with a fixed key; returns the response head. */
  String upgrade() throws IOException {
    send(
        "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    return readHead();
  }

  /** One frame from the server: its first byte and payload. */
  record Frame(int first, byte[] payload) {
    int opcode() {
      return first & 0x0F;
    }

    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    int closeCode() {
      return (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
    }
  }

  Frame readFrame() throws IOException {
    int first = in.readUnsignedByte();
    return new Frame(first, WebSocketClientSocket.readPayload(in));
  }

  /** The next frame that is not a text message (skipping what the chat says meanwhile). */
  Frame nextControl() throws IOException {
    while (true) {
      Frame f = readFrame();
      if (f.opcode() >= 8) {
        return f;
      }
    }
  }

  /** A client frame: masked unless {@code masked} is false. */
  static byte[] frame(int first, byte[] payload, boolean masked) {
    return WebSocketFrames.frame(
        first, payload, masked ? new byte[] {0x12, 0x34, 0x56, 0x78} : null);
  }

  InputStream input() {
    return in;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
