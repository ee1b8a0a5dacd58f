package dev.logpipe.devservices.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One child process with its output in a log file. Stopped by its own PID (never by name), and
 * registered for destruction when this JVM exits so tests leave nothing behind.
 */
public final class ChildProcess {
  private final String name;
  private final Process process;
  private final Path logFile;
  private final Thread reaper;

  private ChildProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.reaper = new Thread(() -> destroyTree(true), "reap-" + name);
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  public static ChildProcess start(
      String name, List<String> command, Map<String, String> env, Path workDir, Path logFile) {
    try {
      Files.createDirectories(logFile.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder.environment().putAll(env);
      return new ChildProcess(name, builder.start(), logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command.get(0), e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path logFile() {
    return logFile;
  }

  /**
   * Waits until {@code ready} holds, polling every 20 ms; fails at once if the process exits and
   * after {@code timeout} otherwise, quoting the end of the log.
   */
  public void awaitReady(BooleanSupplier ready, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with code "
                + process.exitValue()
                + " before it was ready; log tail:\n"
                + tail());
      }
      if (System.nanoTime() > deadline) {
        stop(Duration.ofSeconds(2));
        throw new IllegalStateException(
            name + " not ready after " + timeout.toSeconds() + " s; log tail:\n" + tail());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
  }

  /**
   * SIGTERM, then SIGKILL if still alive after {@code grace}. Processes the child started are ended
   * too: one still alive when the child has exited (an orphan, no longer its descendant) gets
   * SIGTERM, and SIGKILL when the grace period is over.
   */
  public void stop(Duration grace) {
    if (process.isAlive()) {
      long deadline = System.nanoTime() + grace.toNanos();
      List<ProcessHandle> tree = process.descendants().toList();
      process.destroy();
      try {
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          destroyTree(true);
          process.waitFor(5, TimeUnit.SECONDS);
        }
        endOrphans(tree, deadline);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        destroyTree(true);
        tree.forEach(ProcessHandle::destroyForcibly);
      }
    }
    unregister();
  }

  private static void endOrphans(List<ProcessHandle> tree, long deadline)
      throws InterruptedException {
    List<ProcessHandle> left = tree.stream().filter(ProcessHandle::isAlive).toList();
    left.forEach(ProcessHandle::destroy);
    for (ProcessHandle orphan : left) {
      long wait = Math.max(0, deadline - System.nanoTime());
      try {
        orphan.onExit().get(wait, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        orphan.destroyForcibly();
      }
    }
  }

  /** SIGTERM only: asks the process to stop gracefully and returns at once. */
  public void terminate() {
    process.destroy();
  }

  /**
   * Waits up to {@code timeout} for the process to exit: its exit code, or empty if still running.
   */
  public OptionalInt awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return OptionalInt.empty();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    }
    unregister();
    return OptionalInt.of(process.exitValue());
  }

  /** SIGKILL and wait for the exit, so the port and data directory are free afterwards. */
  public void kill() {
    destroyTree(true);
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    unregister();
  }

  private void destroyTree(boolean forcibly) {
    process.descendants().forEach(p -> p.destroyForcibly());
    if (forcibly) {
      process.destroyForcibly();
    } else {
      process.destroy();
    }
  }

  private void unregister() {
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the hook is already running or has run: nothing to remove
    }
  }

  public String tail() {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
