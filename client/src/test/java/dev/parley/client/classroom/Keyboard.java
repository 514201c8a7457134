package dev.parley.client.classroom;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Standard input that the test types into while the client runs: reads block until the test has
 * typed something or ended the input. Typed by the test thread, read by the client's threads.
 */
final class Keyboard extends InputStream {
  private static final int END = -1;
  private final LinkedBlockingQueue<Integer> bytes = new LinkedBlockingQueue<>();
  private volatile boolean ended;

  /** Types {@code line} and Enter. */
  void type(String line) {
    for (byte b : (line + "\n").getBytes(StandardCharsets.UTF_8)) {
      bytes.add(b & 0xff);
    }
  }

  /** Ends the input, as Ctrl-D or the end of a piped file. */
  void end() {
    bytes.add(END);
  }

  @Override
  public int read() {
    if (ended) {
      return END;
    }
    try {
      int b = bytes.take();
      if (b == END) {
        ended = true;
      }
      return b;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return END;
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    if (length == 0) {
      return 0;
    }
    int first = read(); // block for one byte, then take what is there without waiting
    if (first == END) {
      return END;
    }
    buffer[offset] = (byte) first;
    int n = 1;
    Integer next;
    while (n < length && (next = bytes.peek()) != null && next != END) {
      buffer[offset + n++] = (byte) (int) bytes.poll();
    }
    return n;
  }
}
