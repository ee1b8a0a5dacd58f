package dev.logpipe.sandbox.pods;

/**
 * A sandbox pod whose process runs, as the launcher and tests see it.
 *
 * @param component the pod's app.kubernetes.io/component label (worker, gateway, ...)
 * @param port the loopback port of the container's HTTP port
 */
public record PodInfo(
    String namespace, String name, String component, long pid, int port, boolean ready) {
  /** Annotations on the Pod object: where its process is (no kubelet server for logs or exec). */
  public static final String PID = "sandbox.logpipe.dev/pid";

  public static final String PORT = "sandbox.logpipe.dev/port";
  public static final String LOG_FILE = "sandbox.logpipe.dev/log";
}
