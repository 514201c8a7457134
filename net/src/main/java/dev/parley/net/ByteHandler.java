package dev.parley.net;

import java.nio.ByteBuffer;

/**
 * A {@link ConnectionHandler} that frames the bytes itself (beside {@link LineHandler}, not a kind
 * of it): the connection hands it what it reads, as read, and decodes no lines. For framings other
 * than lines, such as classroom mode's quiet period. Loop thread only.
 */
public non-sealed interface ByteHandler extends ConnectionHandler {

  /**
   * Bytes from the peer, in the order read, in a buffer the loop reuses (copy what you keep).
   *
   * <ol>
   *   <li>MUST consume every remaining byte, unless the handler pauses its peer during the call;
   *   <li>bytes left in {@code bytes} are kept by the connection, which reads no more, and are
   *       handed over again once no pause holds.
   * </ol>
   */
  void onBytes(ByteBuffer bytes);
}
