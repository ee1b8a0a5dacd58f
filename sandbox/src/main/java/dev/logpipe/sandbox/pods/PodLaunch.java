package dev.logpipe.sandbox.pods;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to start one pod's container as a local process.
 *
 * @param args the container's args with mount paths rewritten to local directories
 * @param env resolved environment (literal values, Secret and ConfigMap keys, the HTTP port)
 * @param port the loopback port standing in for the container's http port
 * @param readinessPath the readiness probe's HTTP path, e.g. /readyz
 * @param cpuMillicores the container's CPU limit in millicores, 0 when it has none
 */
public record PodLaunch(
    String podName,
    Path podDir,
    List<String> args,
    Map<String, String> env,
    int port,
    String readinessPath,
    String maxHeap,
    long cpuMillicores) {}
