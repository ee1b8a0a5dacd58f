package dev.logpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/sandbox ...} run as a child process, as a person runs it, its output collected line by
 * line. The launcher's build check is skipped: the tests run inside the build that just made
 * everything.
 */
public final class SandboxCommand {
  private final Process process;
  private final Path dir;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private SandboxCommand(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
    this.reader = new Thread(this::read, "bin-sandbox-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code bin/sandbox args...}; {@code dir} appears in the command lines of what the run
   * starts (see {@link #assertNothingLeftBehind}).
   */
  public static SandboxCommand start(Path dir, String... args) throws IOException {
    return start(dir, Map.of(), args);
  }

  /** Starts {@code bin/sandbox args...} with {@code env} added to the environment. */
  public static SandboxCommand start(Path dir, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of("..").toAbsolutePath().normalize().resolve("bin/sandbox").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("LOGPIPE_SANDBOX_NO_BUILD", "1");
    builder.environment().remove("LOGPIPE_SANDBOX_STARTED_MS");
    builder.environment().putAll(env);
    return new SandboxCommand(builder.start(), dir);
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Process process() {
    return process;
  }

  /** Waits for the exit code and the last of the output; stops it when it overruns. */
  public int waitForExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      throw new AssertionError("bin/sandbox still running after " + timeout + ":\n" + output());
    }
    reader.join(10_000);
    return process.exitValue();
  }

  public String output() {
    return String.join("\n", lines) + "\n";
  }

  public Matcher find(Pattern pattern) {
    List<Matcher> all = all(pattern);
    return all.isEmpty() ? null : all.get(0);
  }

  public List<Matcher> all(Pattern pattern) {
    return lines.stream().map(pattern::matcher).filter(Matcher::find).toList();
  }

  /** No process that ran in the sandbox's directory is alive (services and pods). */
  public void assertNothingLeftBehind() {
    String marker = dir.toString();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        ProcessHandle.allProcesses()
                            .filter(
                                p ->
                                    p.info()
                                        .commandLine()
                                        .map(c -> c.contains(marker))
                                        .orElse(false))
                            .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                            .toList())
                    .as("processes left behind")
                    .isEmpty());
  }
}
