package dev.parley.server.web;

import java.nio.ByteBuffer;

/**
 * One HTTP/1.1 request head as it arrives, in reads of any size, held in at most {@link
 * HttpRequest#MAX_HEAD_BYTES} bytes, then parsed by {@link HttpRequest#parse}. It ends at the first
 * empty line, CRLF CRLF; a bare LF ends no line (RFC 9112 section 2.2 allows either; the web port
 * never took one, and one rule for both ports leaves nothing to disagree on). Nothing is ever
 * thrown: a head that cannot fit is {@link Progress#TOO_LARGE} (answered 431) and one that does not
 * parse has a null {@link #request()} (answered 400).
 *
 * <p>The head reader of the server's hand-written HTTP: the metrics port reads with it, and the web
 * port's first request is read with it too ({@link HttpHeadLayer}), so both read a head alike;
 * {@code HttpHeadFuzzTest} fuzzes it. One thread at a time.
 */
public final class HttpHead {
  /** Where reading a head stands. */
  public enum Progress {
    /** No empty line yet, and room for more. */
    INCOMPLETE,
    /** The head has ended; {@link #request()} tells what it asked for. */
    COMPLETE,
    /** The buffer is full without an empty line: no byte more can make it a head. */
    TOO_LARGE
  }

  private byte[] bytes; // null once the head is done
  private int length;
  private Progress progress = Progress.INCOMPLETE;
  private HttpRequest request;

  /** A head of at most {@link HttpRequest#MAX_HEAD_BYTES}, blank line included. */
  public HttpHead() {
    this(HttpRequest.MAX_HEAD_BYTES);
  }

  /** A head of at most {@code maxBytes} (at least 4): the fuzz test reaches the bound with it. */
  HttpHead(int maxBytes) {
    bytes = new byte[maxBytes];
  }

  /**
   * Takes bytes from {@code src} up to the end of the head or until the head cannot fit, and leaves
   * the rest in {@code src}: its position ends just past the last byte taken, so what a client sent
   * after its head (early WebSocket frames, a body) stays there for the caller.
   */
  public Progress take(ByteBuffer src) {
    while (progress == Progress.INCOMPLETE && src.hasRemaining()) {
      bytes[length++] = src.get();
      if (endsWithEmptyLine()) {
        request = HttpRequest.parse(bytes, length - 4);
        done(Progress.COMPLETE);
      } else if (length == bytes.length) {
        done(Progress.TOO_LARGE);
      }
    }
    return progress;
  }

  public Progress progress() {
    return progress;
  }

  /** Once {@link Progress#COMPLETE}: the request, or null when the head is malformed. */
  public HttpRequest request() {
    if (progress != Progress.COMPLETE) {
      throw new IllegalStateException("the head has not ended: " + progress);
    }
    return request;
  }

  /** The bytes held; at most the bound, none once reading is done. */
  public int bytesHeld() {
    return bytes == null ? 0 : length;
  }

  private boolean endsWithEmptyLine() {
    return length >= 4
        && bytes[length - 4] == '\r'
        && bytes[length - 3] == '\n'
        && bytes[length - 2] == '\r'
        && bytes[length - 1] == '\n';
  }

  private void done(Progress outcome) {
    progress = outcome;
    bytes = null; // a WebSocket connection lives on long after its head
  }
}
