package dev.parley.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryChunksTest {
  private final EntryChunks chunks = new EntryChunks();

  private List<EntryChunks.Chunk> takeAll(int n) {
    List<EntryChunks.Chunk> taken = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      taken.add(chunks.take());
    }
    return taken;
  }

  @Test
  void aReturnedChunkComesBackCleanAndIsReused() {
    EntryChunks.Chunk c = chunks.take();
    c.replies = 0b101;
    c.next = new EntryChunks.Chunk();
    chunks.give(c);

    EntryChunks.Chunk again = chunks.take();
    assertEquals(c, again);
    assertEquals(0, again.replies);
    assertNull(again.next);
    assertEquals(1, chunks.created());
  }

  @Test
  void releaseDropsWhatABurstLeftIdleAndKeepsWhatIsStillInUse() {
    List<EntryChunks.Chunk> burst = takeAll(100);
    burst.forEach(chunks::give);
    chunks.release(); // the burst needed all 100 during this period: keep them
    assertEquals(100, chunks.freeCount());

    List<EntryChunks.Chunk> steady = takeAll(10);
    steady.forEach(chunks::give);
    chunks.release(); // only 10 were needed this period: 90 go
    assertEquals(10, chunks.freeCount());

    chunks.release(); // nothing needed at all: an idle server's pool ends empty
    assertEquals(0, chunks.freeCount());
    assertEquals(100, chunks.created());
  }
}
