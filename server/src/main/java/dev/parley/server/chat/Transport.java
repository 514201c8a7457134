package dev.parley.server.chat;

import dev.parley.server.net.Connection;
import dev.parley.server.net.EventLoop;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * What a {@link Session} needs of its connection, and nothing more. The server's transport is a
 * {@link Connection} ({@link #of}); the session fuzz test drives sessions through one of its own,
 * without sockets. Loop thread only. The methods mean what {@link Connection}'s of the same name
 * mean.
 */
interface Transport {
  EventLoop loop();

  SocketAddress remoteAddress();

  long pendingBytes();

  long peakPendingBytes();

  /** False while the output is over its high-water mark; see {@link Connection#isWritable}. */
  boolean isWritable();

  /** Queues a delivery or notice; false if it will never reach the client (closing, too slow). */
  boolean enqueue(ByteBuffer line);

  void enqueueReply(ByteBuffer line);

  void resumeInput();

  void closeAfterFlush(String reason);

  boolean peerGone();

  static Transport of(Connection connection) {
    return new Transport() {
      @Override
      public EventLoop loop() {
        return connection.loop();
      }

      @Override
      public SocketAddress remoteAddress() {
        return connection.remoteAddress();
      }

      @Override
      public long pendingBytes() {
        return connection.pendingBytes();
      }

      @Override
      public boolean enqueue(ByteBuffer line) {
        return connection.enqueue(line);
      }

      @Override
      public long peakPendingBytes() {
        return connection.peakPendingBytes();
      }

      @Override
      public boolean isWritable() {
        return connection.isWritable();
      }

      @Override
      public void enqueueReply(ByteBuffer line) {
        connection.enqueueReply(line);
      }

      @Override
      public void resumeInput() {
        connection.resumeInput();
      }

      @Override
      public void closeAfterFlush(String reason) {
        connection.closeAfterFlush(reason);
      }

      @Override
      public boolean peerGone() {
        return connection.peerGone();
      }
    };
  }
}
