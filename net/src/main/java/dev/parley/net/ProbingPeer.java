package dev.parley.net;

/**
 * A {@link Peer} that can be asked whether it has gone while its input is paused: for a handler
 * about to spend work on the peer's behalf (a password check). Implemented by {@link Connection}.
 * Loop thread only.
 */
public interface ProbingPeer extends Peer {

  /**
   * Whether the peer has gone, asked before work is spent on its behalf while its input is paused;
   * see {@link Connection#probeGone}.
   */
  boolean probeGone();
}
