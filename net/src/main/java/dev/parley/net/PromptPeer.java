package dev.parley.net;

/**
 * A {@link Peer} whose waiting input can be read at once, for a handler that orders the input of
 * several peers itself (classroom mode). Implemented by {@link Connection}. Loop thread only.
 */
public interface PromptPeer extends Peer {

  /** Reads what the kernel already holds now rather than at the next select, if not paused. */
  void readNow();
}
