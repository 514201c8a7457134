package dev.parley.server;

import dev.parley.protocol.WebSocketFrames;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A socket that speaks WebSocket on the web port while its user reads and writes plain parley/1
 * lines: each line written goes out as one masked text message, each text message received comes in
 * as a line ending in LF. So {@link LineClient} and the tests that read sockets themselves run
 * unchanged as browser users. The upgrade is done by hand, as a browser would, when the socket is
 * made; a server that closes instead of answering it (over {@code --max-clients}) leaves a socket
 * that reads end of stream at once. Pings are answered; a close frame reads as end of stream.
 */
public final class WebSocketClientSocket extends Socket {
  private static final byte[] MASK = {0x5a, 0x13, 0x7e, 0x21};

  private final Socket raw;
  private final DataInputStream in;
  private final OutputStream rawOut;
  private final boolean refused; // the server closed before answering the upgrade
  private final InputStream lines = new Messages();
  private final OutputStream frames = new Frames();

  WebSocketClientSocket(Socket raw) throws IOException {
    this.raw = raw;
    this.in = new DataInputStream(raw.getInputStream());
    this.rawOut = raw.getOutputStream();
    rawOut.write(
        ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    rawOut.flush();
    String head = readHead();
    refused = head.isEmpty();
    if (!refused && !head.startsWith("HTTP/1.1 101 ")) {
      throw new IOException("the upgrade was not accepted: " + head);
    }
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b;
      try {
        b = in.read();
      } catch (SocketException e) {
        b = -1; // a reset instead of an answer: refused as well
      }
      if (b < 0) {
        return "";
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** One masked client frame. */
  private static void frame(ByteArrayOutputStream out, int opcode, byte[] payload) {
    out.writeBytes(WebSocketFrames.frame(WebSocketFrames.FIN | opcode, payload, MASK));
  }

  private void writeFrames(byte[] bytes) throws IOException {
    synchronized (rawOut) {
      rawOut.write(bytes);
      rawOut.flush();
    }
  }

  /** The lines written, each sent as one text message once its LF is written. */
  private final class Frames extends OutputStream {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream(len + len / 4 + 16);
      for (int i = off; i < off + len; i++) {
        if (b[i] == '\n') {
          byte[] text = line.toByteArray();
          line.reset();
          frame(out, WebSocketFrames.TEXT, text);
        } else {
          line.write(b[i]);
        }
      }
      writeFrames(out.toByteArray());
    }
  }

  /** The text messages received, each followed by an LF; end of stream at a close frame. */
  /**
   * The rest of a server frame after its first byte: the length (a server frame that is masked is
   * an error) and the payload.
   */
  public static byte[] readPayload(DataInputStream in) throws IOException {
    byte[] header = new byte[WebSocketFrames.MAX_HEADER_BYTES];
    header[1] = (byte) in.readUnsignedByte();
    if (WebSocketFrames.isMasked(header[1])) {
      throw new IOException("the server masked a frame");
    }
    in.readFully(header, 2, WebSocketFrames.headerLengthOf(header[1]) - 2);
    long length = WebSocketFrames.payloadLength(header, 0);
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return payload;
  }

  private final class Messages extends InputStream {
    private byte[] pending = new byte[0];
    private int next;
    private boolean ended = refused;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (next == pending.length) {
        if (ended || !nextMessage()) {
          ended = true;
          return -1;
        }
      }
      int n = Math.min(len, pending.length - next);
      System.arraycopy(pending, next, b, off, n);
      next += n;
      return n;
    }

    /** Reads frames up to the end of a text message; false at a close frame or end of stream. */
    private boolean nextMessage() throws IOException {
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      while (true) {
        int first;
        try {
          first = in.readUnsignedByte();
        } catch (EOFException e) {
          return false;
        }
        byte[] payload = readPayload(in);
        int opcode = first & 0x0F;
        if (opcode == WebSocketFrames.CLOSE) {
          return false;
        }
        if (opcode == WebSocketFrames.PING) {
          ByteArrayOutputStream pong = new ByteArrayOutputStream();
          frame(pong, WebSocketFrames.PONG, payload);
          writeFrames(pong.toByteArray());
          continue;
        }
        if (opcode == WebSocketFrames.PONG) {
          continue;
        }
        message.write(payload);
        if ((first & WebSocketFrames.FIN) != 0) {
          message.write('\n');
          pending = message.toByteArray();
          next = 0;
          return true;
        }
      }
    }
  }

  /** The TCP socket under the WebSocket. */
  Socket raw() {
    return raw;
  }

  @Override
  public InputStream getInputStream() {
    return lines;
  }

  @Override
  public OutputStream getOutputStream() {
    return frames;
  }

  @Override
  public void shutdownOutput() throws IOException {
    raw.shutdownOutput();
  }

  @Override
  public synchronized void setSoTimeout(int timeout) throws SocketException {
    raw.setSoTimeout(timeout);
  }

  @Override
  public void setSoLinger(boolean on, int linger) throws SocketException {
    raw.setSoLinger(on, linger);
  }

  @Override
  public boolean isClosed() {
    return raw.isClosed();
  }

  @Override
  public synchronized void close() throws IOException {
    raw.close();
  }
}
