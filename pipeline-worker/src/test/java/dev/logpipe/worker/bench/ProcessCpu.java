package dev.logpipe.worker.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of whole processes (all threads) read from {@code /proc/<pid>/stat} (utime + stime), so
 * a benchmark can charge every process a contender keeps busy, not only its own JVM.
 *
 * @param pids display name → process id, in print order
 */
record ProcessCpu(Map<String, Long> pids) {
  /** Linux's USER_HZ: the unit of utime and stime. 100 on every mainstream kernel config. */
  private static final long TICKS_PER_SECOND = ticksPerSecond();

  ProcessCpu {
    pids = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pids));
  }

  /** CPU nanoseconds used so far by each process, by name. */
  Map<String, Long> read() {
    Map<String, Long> nanos = new LinkedHashMap<>();
    pids.forEach((name, pid) -> nanos.put(name, cpuNanos(pid)));
    return nanos;
  }

  /** µs of CPU per event of each process between two {@link #read()}s. */
  static Map<String, Double> microsPerEvent(
      Map<String, Long> before, Map<String, Long> after, long events) {
    Map<String, Double> micros = new LinkedHashMap<>();
    before.forEach((name, t0) -> micros.put(name, (after.get(name) - t0) / 1e3 / events));
    return micros;
  }

  static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces: count fields from its closing parenthesis.
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(rest[11]) + Long.parseLong(rest[12]); // utime, stime
      return ticks * 1_000_000_000L / TICKS_PER_SECOND;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CPU time of process " + pid, e);
    }
  }

  /** The first line of {@code /proc/loadavg}: the machine is shared, so figures need context. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static long ticksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      return p.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
