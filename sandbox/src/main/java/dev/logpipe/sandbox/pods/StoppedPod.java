package dev.logpipe.sandbox.pods;

import java.time.Duration;

/**
 * How a deleted pod's process ended: SIGTERM, then SIGKILL if it was still running after {@code
 * grace}.
 *
 * @param exitCode the process's exit code (128 + n for signal n: 137 after SIGKILL), -1 if unknown
 * @param took from SIGTERM to the exit
 */
public record StoppedPod(
    String namespace,
    String name,
    String component,
    long pid,
    int exitCode,
    Duration grace,
    Duration took) {}
