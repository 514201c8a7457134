package dev.parley.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.MessageKind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SequencerTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:15:30.123Z");
  private static final Clock FIXED = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void publicAndDirectMessagesShareOneCounterThatStartsAfterTheStoresLastSeq() {
    Sequencer sequencer = new Sequencer(41, FIXED);
    ChatMessage pm = sequencer.publicMessage("alice", "hello");
    ChatMessage dm = sequencer.directMessage("alice", "bob", "psst");
    ChatMessage pm2 = sequencer.publicMessage("bob", "hi");

    assertEquals(ChatMessage.publicMessage(42, NOW.toEpochMilli(), "alice", "hello"), pm);
    assertEquals(ChatMessage.directMessage(43, NOW.toEpochMilli(), "alice", "bob", "psst"), dm);
    assertEquals(44, pm2.seq());
    assertEquals(MessageKind.PM, pm2.kind());
  }

  @Test
  void anEmptyStoreStartsAtOne() {
    Sequencer sequencer = new Sequencer(0, FIXED);
    assertEquals(1, sequencer.publicMessage("a", "x").seq());
  }

  @Test
  void theReceiveTimeIsTheClocksTimeAtSequencing() {
    MutableClock clock = new MutableClock(1_000);
    Sequencer sequencer = new Sequencer(0, clock);
    assertEquals(1_000, sequencer.publicMessage("a", "x").timeMillis());
    clock.millis = 2_500;
    assertEquals(2_500, sequencer.directMessage("a", "b", "y").timeMillis());
  }

  private static final class MutableClock extends Clock {
    long millis;

    MutableClock(long millis) {
      this.millis = millis;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
