package dev.parley.server.chat;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ServerLine;
import dev.parley.protocol.Wire;
import java.nio.ByteBuffer;

/**
 * A stored message with its {@code D PM}/{@code D DM} line encoded once. Every recipient, and every
 * later history replay, sends a {@link #wire()} duplicate of the same bytes.
 */
record StoredMessage(ChatMessage message, ByteBuffer encoded) {

  static StoredMessage of(ChatMessage message) {
    return new StoredMessage(message, Wire.encode(new ServerLine.Delivery(message)));
  }

  long seq() {
    return message.seq();
  }

  /** The shared encoded line; queue it as it is, never change it. */
  ByteBuffer wire() {
    return encoded;
  }
}
