package dev.parley.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessMemoryTest {
  @Test
  void residentMemoryIsReadOnLinuxAndMissingElsewhere() {
    long rss = ProcessMemory.residentBytes();
    if (Files.isReadable(Path.of("/proc/self/status"))) {
      // A JVM with a test run loaded is tens of MiB resident, and nothing near a terabyte.
      assertTrue(rss > (8L << 20) && rss < (1L << 40), "rss " + rss);
      assertEquals(0, rss % 1024, "VmRSS is in KiB");
    } else {
      assertEquals(-1, rss);
    }
  }

  @Test
  void heapInUseIsWithinTheCommittedHeap() {
    long used = ProcessMemory.heapUsedBytes();
    assertTrue(used > 0 && used <= Runtime.getRuntime().totalMemory(), "heap used " + used);
  }
}
