package dev.parley.bench;

import dev.parley.protocol.WebSocketFrames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * {@code --ws}: parley/1 as a browser speaks it on the server's web port. Each connection first
 * sends the HTTP upgrade to {@code /ws}; once the server's {@code 101} arrives it signs in. Every
 * line the wrapped protocol writes goes out as one masked text message, and every text message from
 * the server (unmasked, one line each) is handed to the wrapped parser as that line with its LF, so
 * what is counted is exactly what plain TCP counts.
 *
 * <p>The mask key is fixed and not zero: the server unmasks every byte either way, and a zero key
 * would invite a shortcut no browser allows it.
 */
final class WebSocketProtocol extends Protocol implements Protocol.Events {
  private static final byte LF = '\n';
  private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};
  private static final byte[] HEAD_END = ascii("\r\n\r\n");
  private static final byte[] SWITCHING = ascii("HTTP/1.1 101 ");
  private static final byte[] HTTP = ascii("HTTP/");
  private static final int MAX_HEADER = WebSocketFrames.MAX_HEADER_BYTES;

  private final Protocol lines;
  private final byte[] upgrade;
  private final ByteBuffer unframed; // one request of the wrapped protocol, before framing
  private final byte[] framed;
  private byte[] message = new byte[256]; // one server message and its LF, for the line parser
  private Events events; // the driver's, while parse runs: replies are framed on the way

  WebSocketProtocol(Protocol lines, String host, int port) {
    super(lines.payload, lines.size);
    this.lines = lines;
    this.upgrade =
        ascii(
            "GET /ws HTTP/1.1\r\nHost: "
                + host
                + ":"
                + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: cGFybGV5LWJlbmNoLWtleQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    this.unframed = ByteBuffer.allocate(lines.maxRequestBytes());
    this.framed = new byte[maxRequestBytes()];
  }

  @Override
  String name() {
    return lines.name() + "-ws";
  }

  @Override
  byte[] hello(Client c) {
    return upgrade;
  }

  /**
   * A frame adds 6 to 14 bytes to a line: a parley request, its text line long, at most doubles.
   */
  @Override
  int maxRequestBytes() {
    return 2 * lines.maxRequestBytes() + MAX_HEADER;
  }

  @Override
  void putRequest(ByteBuffer out, Client p, long number, long nanos) {
    unframed.clear();
    lines.putRequest(unframed, p, number, nanos);
    int n = frameLines(unframed.array(), unframed.position(), framed);
    out.put(framed, 0, n);
  }

  /** Frames each LF-ended line of {@code a[0, length)} into {@code to}; returns the bytes used. */
  /** Writes one masked client frame of {@code a[from, from + n)} at {@code to[at]}. */
  private static int frame(int opcode, byte[] a, int from, int n, byte[] to, int at) {
    return WebSocketFrames.put(to, at, WebSocketFrames.FIN | opcode, a, from, n, MASK);
  }

  private static int frameLines(byte[] a, int length, byte[] to) {
    int at = 0;
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (a[i] == LF) {
        at = frame(WebSocketFrames.TEXT, a, start, i - start, to, at);
        start = i + 1;
      }
    }
    return at;
  }

  private static byte[] framedLines(byte[] a) {
    byte[] to = new byte[2 * a.length + MAX_HEADER];
    int n = frameLines(a, a.length, to);
    byte[] out = new byte[n];
    System.arraycopy(to, 0, out, 0, n);
    return out;
  }

  @Override
  int parse(Client c, byte[] a, int from, int to, Events driver) {
    this.events = driver;
    int p = from;
    if (!c.upgraded) {
      if (to - p >= HTTP.length && !startsWith(a, p, to, HTTP)) {
        driver.onError(c, "not a web port: the answer to the upgrade is not HTTP");
        return to;
      }
      int end = indexOf(a, HEAD_END, p, to);
      if (end < 0) {
        return p;
      }
      if (!startsWith(a, p, to, SWITCHING)) {
        int eol = indexOf(a, (byte) '\r', p, to);
        driver.onError(c, "upgrade refused: " + new String(a, p, eol - p, StandardCharsets.UTF_8));
        return end + HEAD_END.length;
      }
      c.upgraded = true;
      driver.reply(c, framedLines(lines.hello(c)));
      p = end + HEAD_END.length;
    }
    while (to - p >= 2) {
      int first = a[p] & 0xFF;
      int header = WebSocketFrames.headerLengthOf(a[p + 1] & 0x7F); // server frames: unmasked
      if (to - p < header) {
        return p;
      }
      long length = WebSocketFrames.payloadLength(a, p);
      int at = p + header;
      if (to - at < length) {
        return p;
      }
      int n = (int) length;
      message(c, first, a, at, n);
      p = at + n;
    }
    return p;
  }

  private void message(Client c, int first, byte[] a, int at, int n) {
    int opcode = first & 0x0F;
    if (opcode == WebSocketFrames.TEXT && (first & WebSocketFrames.FIN) != 0) {
      if (message.length < n + 1) {
        message = new byte[Math.max(n + 1, 2 * message.length)];
      }
      System.arraycopy(a, at, message, 0, n);
      message[n] = LF;
      lines.parse(c, message, 0, n + 1, this);
    } else if (opcode == WebSocketFrames.PING) {
      byte[] pong = new byte[n + MAX_HEADER];
      events.reply(c, trim(pong, frame(WebSocketFrames.PONG, a, at, n, pong, 0)));
    } else if (opcode == WebSocketFrames.CLOSE) {
      events.onError(c, "closed by the server (WebSocket close frame)");
    } else if (opcode != WebSocketFrames.PONG) {
      events.onError(c, "unexpected frame, opcode " + opcode + ", first byte " + first);
    }
  }

  private static byte[] trim(byte[] a, int n) {
    byte[] out = new byte[n];
    System.arraycopy(a, 0, out, 0, n);
    return out;
  }

  private static int indexOf(byte[] a, byte[] what, int from, int to) {
    for (int i = from; i + what.length <= to; i++) {
      if (startsWith(a, i, to, what)) {
        return i;
      }
    }
    return -1;
  }

  // ---- what the line parser found, passed on; its replies framed ----

  @Override
  public void onReady(Client c) {
    events.onReady(c);
  }

  @Override
  public void onDelivery(Client c, byte[] a, int textAt, int length) {
    events.onDelivery(c, a, textAt, length);
  }

  @Override
  public void onConfirm(Client c) {
    events.onConfirm(c);
  }

  @Override
  public void onError(Client c, String line) {
    events.onError(c, line);
  }

  @Override
  public void reply(Client c, byte[] bytes) {
    events.reply(c, framedLines(bytes));
  }
}
