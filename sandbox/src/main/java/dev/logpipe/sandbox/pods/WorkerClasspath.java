package dev.logpipe.sandbox.pods;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The classpath of a worker "container": pipeline-worker and its runtime dependencies, written at
 * build time into META-INF/logpipe/worker.classpath (see the sandbox pom). It stands in for the
 * worker image's contents.
 */
public final class WorkerClasspath {
  static final String RESOURCE = "/META-INF/logpipe/worker.classpath";
  public static final String MAIN_CLASS = "dev.logpipe.worker.WorkerMain";

  private WorkerClasspath() {}

  public static String read() {
    try (InputStream in = WorkerClasspath.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is missing: build the sandbox with Maven first (bin/sandbox does)");
      }
      String classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!classpath.contains("pipeline-worker")) {
        throw new IllegalStateException(RESOURCE + " does not list the pipeline-worker jar");
      }
      return classpath;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
