package dev.parley.server.web;

import dev.parley.protocol.Frame;
import dev.parley.protocol.LineDecoder;
import dev.parley.protocol.WebSocketFrames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a browser's WebSocket frames (RFC 6455, client to server) into the line stream the
 * connection's line decoder reads: each text message becomes its bytes and one LF. Works in place,
 * in the buffer the bytes were read into, so it holds nothing but a frame header and a control
 * frame's payload (at most 125 bytes) between reads; a long message streams through to the line
 * decoder, which keeps at most the line limit and answers {@code C ERR 413}.
 *
 * <p>A message the line protocol cannot carry is not dropped silently: a text message holding an
 * LF, or a binary message, reaches the line decoder as a line with a byte that is never valid UTF-8
 * (0xFF), which it refuses with {@code C ERR 400} like any bad line, in its place among the others;
 * the decoder tells its owner why ({@link Replies#refused}) for each such line the line decoder
 * will call invalid rather than too long, so that the answer names the message's fault. Protocol
 * errors stop the decoder with a close code: an unmasked frame, reserved bits, an unknown opcode, a
 * continuation without a message or a message inside a message, a fragmented or long control frame
 * (1002); text that is not UTF-8 (1007). Loop thread only.
 */
public final class WebSocketDecoder {
  /** The peer sent a close frame; {@link #closeCode} is what to echo. */
  public static final int PEER_CLOSED = -1;

  static final int NORMAL = 1000;
  static final int PROTOCOL_ERROR = 1002;
  static final int INVALID_DATA = 1007;

  private static final byte LF = '\n';
  private static final byte NEVER_UTF8 = (byte) 0xFF;

  /** What the decoder asks its owner to send back. */
  public interface Replies {
    /**
     * A ping arrived: answer with a pong carrying {@code payload[0, length)}. The array is the
     * decoder's own and is reused for the next control frame, so nothing is allocated per ping: the
     * owner copies what it keeps.
     */
    void pong(byte[] payload, int length);

    /**
     * A message ended that the line decoder will refuse as not UTF-8 (not as too long), for {@code
     * why}: one call per such line, in the order of the lines.
     */
    default void refused(Frame.Fault why) {}
  }

  private final Replies replies;
  private final int maxLineBytes; // the line decoder's limit: a longer marked line is "too long"

  // The frame header being read.
  private final byte[] header = new byte[14];
  private int headerBytes;

  // The frame whose payload is being read, once its header is complete.
  private boolean inPayload;
  private int opcode;
  private boolean fin;
  private long payloadLeft;
  private final byte[] mask = new byte[4];
  private int maskIndex;

  // A control frame's payload, gathered whole.
  private final byte[] control = new byte[125];
  private int controlBytes;

  // The data message the frames belong to.
  private boolean inMessage;
  private boolean binary;
  private boolean lineBreak; // a text message that holds an LF
  private long messageBytes; // bytes of the message's line written so far
  private final Utf8Check utf8 = new Utf8Check();

  private int closeCode; // 0 while open; the code to send in our close frame once stopped
  private boolean peerClosed;
  private int peerCode; // the code in the peer's close frame, 0 if it had none
  private String peerReason = ""; // the reason in it, UTF-8 checked

  /** A decoder for a connection whose line decoder holds lines of at most {@code maxLineBytes}. */
  public WebSocketDecoder(Replies replies, int maxLineBytes) {
    this.replies = replies;
    this.maxLineBytes = maxLineBytes;
  }

  public WebSocketDecoder(Replies replies) {
    this(replies, LineDecoder.DEFAULT_MAX_LINE_BYTES);
  }

  /** True once a close frame or a protocol error has ended the input; nothing more is decoded. */
  public boolean stopped() {
    return closeCode != 0;
  }

  /** Whether it was the peer's close frame (rather than an error) that stopped the decoder. */
  public boolean peerClosed() {
    return peerClosed;
  }

  /** The code for the server's close frame once {@link #stopped}. */
  public int closeCode() {
    return closeCode;
  }

  /** The status code of the peer's close frame; 0 when it gave none. */
  public int peerCode() {
    return peerCode;
  }

  /** The reason in the peer's close frame (valid UTF-8, at most 123 bytes; client text). */
  public String peerReason() {
    return peerReason;
  }

  /**
   * Decodes {@code buffer[from, to)} in place: the line bytes it makes are written from {@code out}
   * on, which must be at most {@code from - 1} (one message can end with an LF whose frame header
   * was read before), and never pass the byte being read.
   *
   * @return the index after the last line byte written
   */
  public int decode(ByteBuffer buffer, int from, int to, int out) {
    int in = from;
    while (in < to && !stopped()) {
      if (!inPayload) {
        header[headerBytes++] = buffer.get(in++);
        if (headerBytes >= 2 && headerBytes == WebSocketFrames.headerLengthOf(header[1])) {
          out = startFrame(buffer, out);
        }
        continue;
      }
      int n = (int) Math.min(payloadLeft, to - in);
      out = payload(buffer, in, n, out);
      in += n;
      payloadLeft -= n;
      if (payloadLeft == 0 && !stopped()) {
        out = endFrame(buffer, out);
      }
    }
    return out;
  }

  private int startFrame(ByteBuffer buffer, int out) {
    int extended = WebSocketFrames.headerLengthOf(header[1] & 0x7F) - 2;
    headerBytes = 0;
    fin = (header[0] & 0x80) != 0;
    opcode = header[0] & 0x0F;
    if ((header[0] & 0x70) != 0 || !WebSocketFrames.isMasked(header[1])) {
      return fail(PROTOCOL_ERROR, out); // reserved bits, or an unmasked client frame
    }
    long length = WebSocketFrames.payloadLength(header, 0);
    if (length < 0) {
      return fail(PROTOCOL_ERROR, out); // the most significant bit must be 0
    }
    System.arraycopy(header, 2 + extended, mask, 0, 4);
    maskIndex = 0;
    payloadLeft = length;
    if (opcode >= 8) {
      if (!fin || length > control.length || opcode > 10) {
        return fail(PROTOCOL_ERROR, out);
      }
      controlBytes = 0;
    } else if (opcode == 0) {
      if (!inMessage) {
        return fail(PROTOCOL_ERROR, out);
      }
    } else if (opcode == 1 || opcode == 2) {
      if (inMessage) {
        return fail(PROTOCOL_ERROR, out);
      }
      inMessage = true;
      binary = opcode == 2;
      lineBreak = false;
      messageBytes = 0;
      utf8.reset();
      if (binary) {
        buffer.put(
            out++, NEVER_UTF8); // a line the protocol refuses with 400; its bytes are dropped
        messageBytes = 1;
      }
    } else {
      return fail(PROTOCOL_ERROR, out);
    }
    inPayload = true;
    if (length == 0) {
      return endFrame(buffer, out);
    }
    return out;
  }

  private int payload(ByteBuffer buffer, int in, int n, int out) {
    for (int i = 0; i < n; i++) {
      byte b = (byte) (buffer.get(in + i) ^ mask[maskIndex]);
      maskIndex = (maskIndex + 1) & 3;
      if (opcode >= 8) {
        control[controlBytes++] = b;
      } else if (!binary) {
        if (!utf8.accept(b)) {
          return fail(INVALID_DATA, out);
        }
        if (b == LF) {
          lineBreak = true;
          b = NEVER_UTF8;
        }
        buffer.put(out++, b);
        messageBytes++;
      }
    }
    return out;
  }

  private int endFrame(ByteBuffer buffer, int out) {
    inPayload = false;
    if (opcode >= 8) {
      control(opcode);
      return out;
    }
    if (fin) {
      inMessage = false;
      if (!binary && !utf8.complete()) {
        return fail(INVALID_DATA, out);
      }
      buffer.put(out++, LF);
      // Refused as invalid only when not too long first (the line decoder's limit counts the
      // bytes before the LF): the explanation then goes to the line it belongs to.
      if (messageBytes <= maxLineBytes && (binary || lineBreak)) {
        replies.refused(binary ? Frame.Fault.BINARY_MESSAGE : Frame.Fault.LINE_BREAK_IN_MESSAGE);
      }
    }
    return out;
  }

  private void control(int code) {
    if (code == WebSocketFrames.PING) {
      replies.pong(control, controlBytes);
    } else if (code == WebSocketFrames.CLOSE) {
      closeFrame(Arrays.copyOf(control, controlBytes));
    }
  }

  private void closeFrame(byte[] payload) {
    if (payload.length == 0) {
      peerClosed = true;
      closeCode = NORMAL;
      return;
    }
    int code = payload.length < 2 ? 0 : (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
    peerCode = code;
    if (!validCloseCode(code)) {
      closeCode = PROTOCOL_ERROR;
      return;
    }
    Utf8Check reason = new Utf8Check();
    for (int i = 2; i < payload.length; i++) {
      if (!reason.accept(payload[i])) {
        closeCode = INVALID_DATA;
        return;
      }
    }
    if (!reason.complete()) {
      closeCode = INVALID_DATA;
      return;
    }
    peerClosed = true;
    closeCode = code;
    peerReason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
  }

  /** The codes a peer may send (RFC 6455 7.4 and the IANA registry); 1005, 1006, 1015 never. */
  static boolean validCloseCode(int code) {
    return code >= 1000 && code <= 1003
        || code >= 1007 && code <= 1014
        || code >= 3000 && code <= 4999;
  }

  private int fail(int code, int out) {
    closeCode = code;
    return out;
  }
}
