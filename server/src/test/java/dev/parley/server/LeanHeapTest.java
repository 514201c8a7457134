package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeanHeapTest {
  private final HotSpotDiagnosticMXBean hotspot =
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

  @Test
  void setsTheRatiosTheOperatorLeftAtTheirDefaultAndThenLeavesThemAlone() {
    boolean maxWasDefault = option(LeanHeap.MAX_FREE).getOrigin() == VMOption.Origin.DEFAULT;
    String maxBefore = option(LeanHeap.MAX_FREE).getValue();

    List<String> first = LeanHeap.apply();

    if (maxWasDefault) {
      assertTrue(
          first.contains(LeanHeap.MAX_FREE + "=" + LeanHeap.MAX_FREE_PERCENT), first::toString);
      assertEquals(String.valueOf(LeanHeap.MAX_FREE_PERCENT), option(LeanHeap.MAX_FREE).getValue());
    } else {
      assertEquals(maxBefore, option(LeanHeap.MAX_FREE).getValue());
    }
    // The JVM keeps the minimum at or below the maximum, whoever set them.
    assertTrue(
        Long.parseLong(option(LeanHeap.MIN_FREE).getValue())
            <= Long.parseLong(option(LeanHeap.MAX_FREE).getValue()));

    // Once set, a flag is no longer at its default: a second start changes nothing, exactly as it
    // changes nothing when the operator gave the flag on the command line.
    assertEquals(List.of(), LeanHeap.apply());
  }

  private VMOption option(String name) {
    return hotspot.getVMOption(name);
  }
}
