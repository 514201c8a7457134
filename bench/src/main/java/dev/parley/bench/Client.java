package dev.parley.bench;

import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** One bench connection: a subscriber or a publisher. Driver thread only. */
final class Client {
  private static final byte[] NONE = new byte[0];

  final int index; // among the subscribers, or among the publishers
  final boolean publisher;
  final String name;
  SocketChannel channel;
  ByteChannel io; // what is read and written: the channel, or TLS over it
  boolean writeWaitsForRead; // TLS: the handshake needs the server's next bytes first
  boolean tlsHoldsOutput; // TLS: encrypted bytes the socket did not take yet
  SelectionKey key;
  boolean ready; // signed in / subscribed
  boolean closed;
  boolean upgraded; // --ws: the server answered the upgrade; frames from here on

  byte[] carry = NONE; // the start of a frame whose end has not arrived yet
  int carryLength;
  ByteBuffer pending; // bytes a write left over; null when everything was written

  // publishers
  ByteBuffer batch; // requests composed for one write
  long sent; // messages sent, all phases
  long target; // messages to have sent by the end of this phase
  long phaseFirst; // the value of sent when this phase began
  int inFlight; // sent and not yet confirmed

  Client(int index, boolean publisher, String name) {
    this.index = index;
    this.publisher = publisher;
    this.name = name;
  }

  /** Keeps {@code a[from, from + length)} for the next read. */
  void keep(byte[] a, int from, int length) {
    if (carry.length < length) {
      carry = new byte[Math.max(length, Math.min(2 * carry.length, 1 << 20))];
    }
    System.arraycopy(a, from, carry, 0, length);
    carryLength = length;
  }
}
