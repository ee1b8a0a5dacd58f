package dev.logpipe.sandbox.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kubeconfig for the sandbox API: one cluster, one context, no credentials (no auth at all). */
public final class Kubeconfig {
  public static final String CONTEXT = "logpipe-sandbox";

  private Kubeconfig() {}

  public static Path write(Path file, String serverUrl, String namespace) {
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
        users:
        - name: %1$s
          user: {}
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
            namespace: %3$s
        current-context: %1$s
        """
            .formatted(CONTEXT, serverUrl, namespace);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write kubeconfig " + file, e);
    }
    return file;
  }
}
