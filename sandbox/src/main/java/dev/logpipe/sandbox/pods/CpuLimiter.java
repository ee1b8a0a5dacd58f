package dev.logpipe.sandbox.pods;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEV-ONLY: enforces containers' CPU limits ({@code resources.limits.cpu}) on the sandbox's pod
 * processes, as a kubelet does through the CFS quota of the pod's cgroup, without cgroups (they
 * need root and differ per machine): every {@link #SAMPLE_MILLIS} ms it reads each limited
 * process's CPU time from {@code /proc/<pid>/stat} and stops it (SIGSTOP) while it is over its
 * {@link CpuBudget}, continuing it (SIGCONT) when the allowance has grown back. Like CFS
 * throttling, all the process's threads wait together, and signals it gets meanwhile (a SIGTERM)
 * take effect when it runs again. Signals go through one long-lived {@code bash} whose builtin
 * {@code kill} costs no process per signal. Linux only.
 */
final class CpuLimiter implements AutoCloseable {
  static final long SAMPLE_MILLIS = 20;
  private static final Logger LOG = LoggerFactory.getLogger(CpuLimiter.class);
  // Linux reports CPU time in USER_HZ ticks, 100 a second on every mainstream architecture.
  private static final long NANOS_PER_TICK = 10_000_000L;

  private static final class Limited {
    final CpuBudget budget;
    boolean stopped;

    Limited(CpuBudget budget) {
      this.budget = budget;
    }
  }

  private final Map<Long, Limited> limited = new ConcurrentHashMap<>();
  private ScheduledExecutorService loop;
  private Process signaller;
  private BufferedWriter signals;

  /** Holds {@code pid} to {@code millicores} of CPU from now until it exits or is released. */
  synchronized void limit(long pid, long millicores) {
    if (loop == null) {
      start();
    }
    limited.put(pid, new Limited(new CpuBudget(millicores)));
    LOG.info("event=cpu_limit pid={} millicores={}", pid, millicores);
  }

  private void start() {
    try {
      signaller =
          new ProcessBuilder(
                  "bash", "-c", "while read -r sig pid; do kill -s \"$sig\" \"$pid\"; done")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start bash to enforce CPU limits", e);
    }
    signals =
        new BufferedWriter(
            new OutputStreamWriter(signaller.getOutputStream(), StandardCharsets.US_ASCII));
    loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sandbox-cpu-limits");
              t.setDaemon(true);
              return t;
            });
    loop.scheduleAtFixedRate(this::tick, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    long now = System.nanoTime();
    for (Map.Entry<Long, Limited> e : limited.entrySet()) {
      long pid = e.getKey();
      Limited l = e.getValue();
      long cpu = cpuNanos(pid);
      if (cpu < 0) {
        limited.remove(pid, l); // exited
        continue;
      }
      boolean run = l.budget.sample(cpu, now);
      if (run == l.stopped) {
        signal(run ? "CONT" : "STOP", pid);
        l.stopped = !run;
      }
    }
    flush();
  }

  /** utime + stime of the whole process, or -1 once it is gone. */
  static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name (which may hold spaces) in parentheses: state is field 3,
      // utime field 14, stime field 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      if (f[0].equals("Z") || f[0].equals("X")) {
        return -1;
      }
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private void signal(String signal, long pid) {
    try {
      signals.write(signal + " " + pid + "\n");
    } catch (IOException e) {
      LOG.warn("event=cpu_limit_signal_failed pid={} signal={} error=\"{}\"", pid, signal, e);
    }
  }

  private void flush() {
    try {
      signals.flush();
    } catch (IOException e) {
      LOG.warn("event=cpu_limit_signal_failed error=\"{}\"", e.toString());
    }
  }

  /** Stops enforcing: every process still held is continued, then the signaller ends. */
  @Override
  public synchronized void close() {
    if (loop == null) {
      return;
    }
    loop.shutdownNow();
    try {
      loop.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    limited.forEach((pid, l) -> signal("CONT", pid));
    limited.clear();
    try {
      signals.close(); // EOF ends bash's loop
      if (!signaller.waitFor(2, TimeUnit.SECONDS)) {
        signaller.destroyForcibly();
      }
    } catch (IOException e) {
      signaller.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      signaller.destroyForcibly();
    }
    loop = null;
  }
}
