package dev.parley.server.net;

import dev.parley.protocol.Frame;

/**
 * The protocol side of a {@link Connection}: the transport hands it each decoded line and tells it
 * when the connection is gone. Loop thread only.
 */
public interface ConnectionHandler {

  /** One line from the peer, in the order received. */
  void onFrame(Frame frame);

  /**
   * False while the handler must not be given more lines (for example while too many of its
   * messages wait for the store). The connection then keeps the unread bytes and stops reading
   * until {@link Connection#resumeInput()}.
   */
  boolean acceptsInput();

  /**
   * The peer will send nothing more (end of stream), though it may still read, as {@code printf ...
   * | nc} does. The handler answers every line it was sent, then closes the connection; reading has
   * stopped.
   */
  void onEndOfInput();

  /**
   * The outbound queue drained to the low-water mark after passing the high one ({@link
   * Connection#isWritable()} is true again): a handler that held back output of its own making may
   * queue it now. Called on a later iteration than the flush that drained it.
   */
  default void onWritable() {}

  /** The connection is closed; called exactly once, at the end of a loop iteration. */
  void onClose(String reason);
}
