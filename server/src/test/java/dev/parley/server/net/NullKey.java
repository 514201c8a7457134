package dev.parley.server.net;

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelectionKey;

/** A key that remembers its interest ops and belongs to no selector. */
final class NullKey extends AbstractSelectionKey {
  private final SocketChannel channel;
  private int ops = SelectionKey.OP_READ;

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
  public int readyOps() {
    return 0;
  }
}
