package dev.parley.net;

/**
 * The protocol side of a {@link Connection}: told when the peer will send nothing more, when the
 * queue has drained and when the connection is gone. How input arrives depends on which of the two
 * kinds it is: a {@link LineHandler} is given decoded lines, a {@link ByteHandler} the bytes as
 * read. To stop being given input it pauses its {@link Peer} ({@link Peer#pause}) at the moment the
 * reason begins. Loop thread only.
 */
public sealed interface ConnectionHandler permits LineHandler, ByteHandler {

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
