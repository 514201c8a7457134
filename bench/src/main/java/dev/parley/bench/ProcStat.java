package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What Linux tells about a process in {@code /proc}: CPU time used (user + system, all threads) and
 * resident memory. Also asks a JVM to collect its garbage, with {@code jcmd}, before a memory
 * reading.
 */
final class ProcStat {
  /** Clock ticks per second of {@code /proc/PID/stat}; 100 on every Linux this runs on. */
  static final long TICKS_PER_SECOND = 100;

  private ProcStat() {}

  /** CPU seconds the process has used so far, or -1 if it cannot be read. */
  static double cpuSeconds(long pid) {
    try {
      return cpuSecondsOf(Files.readString(statPath(pid)));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** utime + stime of a {@code /proc/PID/stat} line, in seconds. */
  static double cpuSecondsOf(String stat) {
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long utime = Long.parseLong(f[11]); // field 14 of the whole line
    long stime = Long.parseLong(f[12]); // field 15
    return (utime + stime) / (double) TICKS_PER_SECOND;
  }

  /** Resident memory in bytes (VmRSS), or -1 if it cannot be read. */
  static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          String kb = line.substring(6).trim().split("\\s+")[0];
          return Long.parseLong(kb) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /**
   * Asks the JVM with process id {@code pid} for a full collection ({@code jcmd PID GC.run}) and
   * waits for it; false if it is not a JVM or jcmd is not found. A full GC lets the collector
   * shrink the heap (G1 gives regions back to the system).
   */
  static boolean collectGarbage(long pid) {
    return jcmd(pid, "GC.run");
  }

  /**
   * Asks the JVM {@code pid} to hand freed native memory (malloc arenas the JIT compiler used) back
   * to the system; false where the JVM has no such command (before 17.0.9).
   */
  static boolean trimNativeHeap(long pid) {
    return jcmd(pid, "System.trim_native_heap");
  }

  private static boolean jcmd(long pid, String what) {
    String command = jcmdCommand();
    try {
      Process p =
          new ProcessBuilder(command, String.valueOf(pid), what)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroy();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Bytes of live objects on the heap of the JVM {@code pid}: the total of {@code jcmd PID
   * GC.class_histogram}, which collects garbage first; -1 if it cannot be had.
   */
  static long liveHeapBytes(long pid) {
    String command = jcmdCommand();
    try {
      Process p =
          new ProcessBuilder(command, String.valueOf(pid), "GC.class_histogram")
              .redirectErrorStream(true)
              .start();
      long total = -1;
      try (var lines =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          String t = line.trim();
          if (t.startsWith("Total")) {
            String[] f = t.split("\\s+");
            total = Long.parseLong(f[f.length - 1]);
          }
        }
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroy();
        return -1;
      }
      return total;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Whether {@code pid} looks like a JVM (its command line names java). */
  static boolean isJvm(long pid) {
    try {
      String cmd = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
      return cmd.contains("java");
    } catch (IOException e) {
      return false;
    }
  }

  /** The running JDK's {@code jcmd} if it has one, else {@code jcmd} from the PATH. */
  private static String jcmdCommand() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    return Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
  }

  private static Path statPath(long pid) {
    return Path.of("/proc/" + pid + "/stat");
  }
}
