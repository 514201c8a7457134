package dev.parley.server.chat;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ServerLine;
import dev.parley.protocol.Wire;
import java.nio.ByteBuffer;

/**
 * A stored message with its {@code D PM}/{@code D DM} line encoded once in {@code wire}: the shared
 * buffer that every recipient, and every later history replay, queues as it is. Nobody may change
 * it or move its position.
 */
record StoredMessage(ChatMessage message, ByteBuffer wire) {

  static StoredMessage of(ChatMessage message) {
    return new StoredMessage(message, Wire.encode(new ServerLine.Delivery(message)));
  }

  long seq() {
    return message.seq();
  }
}
