package dev.parley.server.chat;

import dev.parley.protocol.ChatMessage;
import java.time.Clock;

/**
 * The ordering arbiter: gives every accepted PM and DM the next seq and its receive time. There is
 * one per server and it lives on the loop thread, so arrival order is simply the order of calls and
 * needs no lock.
 */
final class Sequencer {
  private final Clock clock;
  private long lastSeq;

  /**
   * @param lastSeq the highest seq already used (from the store), so seq survives restarts
   */
  Sequencer(long lastSeq, Clock clock) {
    this.lastSeq = lastSeq;
    this.clock = clock;
  }

  ChatMessage publicMessage(String from, String text) {
    return ChatMessage.publicMessage(++lastSeq, clock.millis(), from, text);
  }

  ChatMessage directMessage(String from, String to, String text) {
    return ChatMessage.directMessage(++lastSeq, clock.millis(), from, to, text);
  }
}
