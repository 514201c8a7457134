package dev.parley.net;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * What a handler (a chat session, a classroom participant) sees of its connection, whatever
 * transport carries it: a queue of lines out, reasons to stop reading, and a close. Implemented by
 * {@link Connection}. Loop thread only; the methods mean what {@link Connection}'s of the same name
 * mean.
 */
public interface Peer {

  /** The loop this peer lives on: its clock ({@link EventLoop#now}) and timers. */
  EventLoop loop();

  SocketAddress remoteAddress();

  /** Bytes queued for the peer and not yet written. */
  long pendingBytes();

  /** The most bytes ever queued for the peer at once. */
  long peakPendingBytes();

  /**
   * Whether the peer has gone, asked before work is spent on its behalf while its input is paused;
   * see {@link Connection#peerGone}.
   */
  boolean peerGone();

  /**
   * False from the moment the queue goes above its high-water mark until it drains to the low one;
   * {@link ConnectionHandler#onWritable} says when it is true again.
   */
  boolean isWritable();

  /**
   * Queues a line the peer did not ask for; a peer that does not read is dropped as too slow.
   *
   * @return false when the line will never reach the peer (closing, or just dropped)
   */
  boolean enqueue(ByteBuffer line);

  /** Queues an answer to one of the peer's own lines; never a reason to drop it. */
  void enqueueReply(ByteBuffer line);

  /** Stops reading for {@code reason} until {@link #resume} of the same reason. */
  void pause(Pause reason);

  /** Ends {@code reason}; reading goes on once no reason holds. Never re-enters the handler. */
  void resume(Pause reason);

  /** True while any reason holds: a handler given bytes stops taking them. */
  boolean isPaused();

  /** Reads what the kernel already holds now rather than at the next select, if not paused. */
  void readNow();

  /** Writes what is queued, then closes; reads nothing more. */
  void closeAfterFlush(String reason);
}
