package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void theIssueCommandLineParses() {
    BenchOptions o =
        BenchOptions.parse(
            new String[] {
              "--host",
              "127.0.0.1",
              "--port",
              "5100",
              "--clients",
              "1000",
              "--publishers",
              "4",
              "--messages",
              "3000",
              "--size",
              "64",
              "--window",
              "32",
              "--dm"
            });
    assertEquals(5100, o.port());
    assertEquals(1000, o.clients());
    assertEquals(4, o.publishers());
    assertEquals(3000, o.messages());
    assertEquals(32, o.window());
    assertTrue(o.direct());
  }

  @Test
  void redisDefaultsToItsOwnPort() {
    assertEquals(6379, BenchOptions.parse(new String[] {"--redis"}).port());
    assertEquals(5000, BenchOptions.parse(new String[] {}).port());
  }

  @Test
  void badValuesAreRefusedWithTheOptionName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--size", "3"}));
    assertTrue(e.getMessage().contains("--size"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--bogus"}));
    assertThrows(
        IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--redis", "--dm"}));
  }

  @Test
  void asIsReadingsAreForIdleRunsOnly() {
    assertTrue(BenchOptions.parse(new String[] {"--idle", "5000", "--as-is"}).asIs());
    assertTrue(!BenchOptions.parse(new String[] {"--idle", "5000"}).asIs());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--as-is"}));
    assertEquals("--as-is is for idle runs (--idle N)", e.getMessage());
  }

  @Test
  void summaryPrintsTextAndJson() {
    Summary s = new Summary().put("target", "parley").put("rate", 2.5).put("n", 3L);
    assertEquals("parley-bench target=parley rate=2.500 n=3", s.toText());
    assertEquals("{\"target\":\"parley\",\"rate\":2.500,\"n\":3}", s.toJson());
  }
}
