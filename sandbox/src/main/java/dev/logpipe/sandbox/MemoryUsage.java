package dev.logpipe.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this JVM and all its child processes, from /proc (Linux). */
public final class MemoryUsage {
  private MemoryUsage() {}

  /** Sum of VmRSS in MiB, or -1 where /proc is not available. */
  public static long totalRssMib() {
    long kib = rssKib(ProcessHandle.current().pid());
    if (kib < 0) {
      return -1;
    }
    kib += ProcessHandle.current().descendants().mapToLong(p -> Math.max(0, rssKib(p.pid()))).sum();
    return kib / 1024;
  }

  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return 0;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }
}
