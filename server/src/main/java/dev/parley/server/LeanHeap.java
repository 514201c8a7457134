package dev.parley.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the JVM to hand free heap back to the system sooner than it does by default.
 *
 * <p>A chat server's heap is mostly idle connections (about 1.4 KiB of live objects each) plus
 * short bursts of garbage: a wave of sign-ins, a history replay. After a collection the JVM keeps
 * committed up to {@code 100 / (100 - MaxHeapFreeRatio)} times the live heap; with the default
 * ratio of 70 that is 3.3 times, which more than doubles the resident memory of every idle
 * connection. A ratio of 20 keeps at most 1.25 times. The cost is that the heap grows again in
 * more, smaller steps during a burst, which is cheap next to a chat server's other work.
 *
 * <p>Both ratios, and G1's periodic collection, are manageable flags, so the server sets them at
 * start and its start command needs no JVM options. A flag given on the command line (or in {@code
 * JAVA_TOOL_OPTIONS}) is the operator's choice and is left as it is.
 */
final class LeanHeap {
  static final String MIN_FREE = "MinHeapFreeRatio";
  static final String MAX_FREE = "MaxHeapFreeRatio";
  static final String PERIODIC_GC = "G1PeriodicGCInterval";

  static final int MIN_FREE_PERCENT = 10;
  static final int MAX_FREE_PERCENT = 20;

  /**
   * Milliseconds without a collection after which G1 runs one in the background, so that a server
   * gone quiet after a burst shrinks without waiting for the next allocation to trigger a GC.
   */
  static final long PERIODIC_GC_MILLIS = 60_000;

  private LeanHeap() {}

  /**
   * Sets the flags the operator has not set; returns a {@code name=value} entry for each one it
   * changed (empty when there is no HotSpot diagnostic bean, as on some other JVMs).
   */
  static List<String> apply() {
    List<String> changed = new ArrayList<>();
    HotSpotDiagnosticMXBean hotspot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (hotspot == null) {
      return changed;
    }
    // The JVM refuses a minimum above the maximum, so lower the minimum first.
    setIfDefault(hotspot, MIN_FREE, MIN_FREE_PERCENT, changed);
    setIfDefault(hotspot, MAX_FREE, MAX_FREE_PERCENT, changed);
    setIfDefault(hotspot, PERIODIC_GC, PERIODIC_GC_MILLIS, changed);
    return changed;
  }

  private static void setIfDefault(
      HotSpotDiagnosticMXBean hotspot, String name, long value, List<String> changed) {
    VMOption option;
    try {
      option = hotspot.getVMOption(name);
    } catch (IllegalArgumentException noSuchFlag) {
      return;
    }
    if (option.getOrigin() != VMOption.Origin.DEFAULT || !option.isWriteable()) {
      return;
    }
    try {
      hotspot.setVMOption(name, Long.toString(value));
      changed.add(name + "=" + value);
    } catch (IllegalArgumentException refused) {
      // e.g. a maximum ratio the operator set below our minimum: their setting stands.
    }
  }
}
