package dev.parley.net;

import dev.parley.protocol.Frame;

/**
 * The protocol side of a {@link Connection}: the transport hands it each decoded line and tells it
 * when the queue has drained and when the connection is gone. To stop being given lines it pauses
 * its {@link Peer} ({@link Peer#pause}) at the moment the reason begins. Loop thread only.
 */
public interface ConnectionHandler {

  /** One line from the peer, in the order received. */
  void onFrame(Frame frame);

  /**
   * The peer will send nothing more (end of stream), though it may still read, as {@code printf ...
   * | nc} does. The handler answers every line it was sent, then closes the connection; reading has
   * stopped.
   */
  void onEndOfInput();

  /**
   * The outbound queue went above its high-water mark and has now drained to the low one ({@link
   * Peer#isWritable} is true again): a handler that held back output of its own making (a history
   * answer) may queue it now. Called in the iteration after the flush that drained it, never in the
   * middle of the flush pass.
   */
  default void onWritable() {}

  /** The connection is closed; called exactly once, at the end of a loop iteration. */
  void onClose(String reason);
}
