package dev.logpipe.sandbox.pods;

/**
 * A sandbox pod as the launcher and tests see it.
 *
 * @param component the pod's app.kubernetes.io/component label (worker, gateway, ...)
 * @param port the loopback port of the container's HTTP port
 */
public record PodInfo(
    String namespace,
    String deployment,
    String name,
    String component,
    long pid,
    int port,
    boolean ready) {}
