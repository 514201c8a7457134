package dev.parley.server.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KindTest {
  @Test
  void aThousandClientsAreTheMixTheSoakDescribes() {
    Map<Kind, Integer> count = new EnumMap<>(Kind.class);
    for (int i = 0; i < 1000; i++) {
      count.merge(Kind.of(i), 1, Integer::sum);
    }
    assertEquals(
        Map.of(
            Kind.NORMAL, 790,
            Kind.SLOW, 50,
            Kind.NEVER_READS, 50,
            Kind.RESETS, 100,
            Kind.FLOODS, 10),
        count);
  }

  @Test
  void floodersAreOnlyAmongTheFirst200AndTheirVictimNeverReads() {
    assertEquals(Kind.FLOODS, Kind.of(184));
    assertEquals(Kind.NORMAL, Kind.of(204));
    assertEquals(Kind.NEVER_READS, Kind.of(1));
    assertEquals("z0001", Kind.NEVER_READS.nameOf(1));
  }

  @Test
  void aClientsNameSaysItsKindAndNumber() {
    assertEquals("s0000", Kind.nameOfClient(0));
    assertEquals("r0003", Kind.nameOfClient(3));
    assertEquals("f0004", Kind.nameOfClient(4));
    assertEquals("n0999", Kind.nameOfClient(999));
  }
}
