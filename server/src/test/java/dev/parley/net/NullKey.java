package dev.parley.net;

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/** A key that remembers its interest ops and belongs to no selector; cancelling it is allowed. */
final class NullKey extends SelectionKey {
  private final SocketChannel channel;
  private int ops = SelectionKey.OP_READ;
  private boolean cancelled;

  NullKey(SocketChannel channel) {
    this.channel = channel;
  }

  @Override
  public SocketChannel channel() {
    return channel;
  }

  @Override
  public Selector selector() {
    return null;
  }

  @Override
  public int interestOps() {
    return ops;
  }

  @Override
  public SelectionKey interestOps(int ops) {
    this.ops = ops;
    return this;
  }

  @Override
  public boolean isValid() {
    return !cancelled;
  }

  @Override
  public void cancel() {
    cancelled = true;
  }

  @Override
  public int readyOps() {
    return 0;
  }
}
