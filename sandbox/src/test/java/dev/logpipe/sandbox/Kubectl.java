package dev.logpipe.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a stock kubectl binary against a kubeconfig, with its own discovery cache directory. The
 * binary is the one {@code bin/setup} installs ({@value #VERSION}, into the user's cache
 * directory), or {@code LOGPIPE_KUBECTL}; never whatever happens to be on the PATH.
 */
public final class Kubectl {
  /** The version bin/setup installs (keep in sync with KUBECTL_VERSION there). */
  public static final String VERSION = "1.32.3";

  public static final String ENV = "LOGPIPE_KUBECTL";

  /** Exit code and output of one command. */
  public record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  private final Path binary;
  private final Path kubeconfig;
  private final Path cacheDir;

  public Kubectl(Path kubeconfig, Path cacheDir) {
    this.binary = requireInstalled();
    this.kubeconfig = kubeconfig;
    this.cacheDir = cacheDir;
  }

  /** {@code LOGPIPE_KUBECTL}, else where bin/setup installs kubectl. */
  public static Path binary() {
    String configured = System.getenv(ENV);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return dev.logpipe.devservices.process.UserHome.path()
        .resolve(Path.of(".cache", "logpipe", "kubectl", VERSION, "kubectl"));
  }

  /**
   * The kubectl binary; fails the calling test when there is none. A skip here would let a broken
   * setup pass CI without ever running kubectl against the sandbox.
   */
  public static Path requireInstalled() {
    return requireExecutable(binary());
  }

  static Path requireExecutable(Path binary) {
    if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
      throw new AssertionError(
          "no kubectl at "
              + binary
              + ": run bin/setup (installs kubectl "
              + VERSION
              + " into ~/.cache/logpipe/kubectl/"
              + VERSION
              + ") or set "
              + ENV
              + " to a kubectl binary");
    }
    return binary;
  }

  public Result run(String... args) {
    List<String> command =
        new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("kubectl", ".out");
      Path err = Files.createTempFile("kubectl", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().put("KUBECACHEDIR", cacheDir.toString());
      Process process = builder.start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " hung for 120 s");
      }
      Result result =
          new Result(
              process.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return result;
    } catch (IOException e) {
      throw new AssertionError("cannot run kubectl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
