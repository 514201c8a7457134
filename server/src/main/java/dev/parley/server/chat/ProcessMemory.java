package dev.parley.server.chat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The server process's memory, for the stats line: heap in use, and resident memory as the kernel
 * counts it, so that an operator can read memory per connection off the log without access to the
 * machine's {@code /proc}. Reading {@code /proc/self/status} is a read of kernel memory, not of a
 * disk, so it is fine on the loop thread once per stats line.
 */
final class ProcessMemory {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessMemory() {}

  static long heapUsedBytes() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  /** Resident bytes ({@code VmRSS}), or -1 where there is no {@code /proc/self/status}. */
  static long residentBytes() {
    try {
      for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          String kib = line.substring("VmRSS:".length()).trim().split("\\s+")[0];
          return Long.parseLong(kib) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or a format we do not know: the stats line leaves it out
    }
    return -1;
  }
}
