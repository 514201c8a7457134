package dev.parley.net;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * What a handler (a chat session, a classroom participant) sees of its connection, whatever
 * transport carries it: the loop's clock and timers, a queue of lines out, reasons to stop reading,
 * and a close. Implemented by {@link Connection}; a handler that needs more is given one of the
 * narrower views that extend this one ({@link ProbingPeer}, {@link PromptPeer}). Loop thread only;
 * the methods mean what {@link Connection}'s of the same name mean.
 */
public interface Peer {

  /**
   * The loop's clock, in nanos: the same for every event of one iteration ({@link EventLoop#now}).
   */
  long now();

  /**
   * Runs {@code action} on the loop once {@code delayNanos} have passed ({@link
   * EventLoop#schedule}).
   */
  EventLoop.Timer schedule(long delayNanos, Runnable action);

  SocketAddress remoteAddress();

  /** Bytes queued for the peer and not yet written. */
  long pendingBytes();

  /** The most bytes ever queued for the peer at once. */
  long peakPendingBytes();

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

  /** Writes what is queued, then closes; reads nothing more. */
  void closeAfterFlush(String reason);
}
