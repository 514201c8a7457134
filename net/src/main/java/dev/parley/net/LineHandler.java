package dev.parley.net;

import dev.parley.protocol.Frame;

/**
 * A {@link ConnectionHandler} for the line protocol: the connection decodes lines (within the line
 * limit) and hands it each one. Loop thread only.
 */
public non-sealed interface LineHandler extends ConnectionHandler {

  /** One line from the peer, in the order received. */
  void onFrame(Frame frame);
}
