package dev.logpipe.sandbox.pods;

import java.time.Instant;

/**
 * How a container's process ended, as the kubelet reports it in {@code lastState.terminated}.
 *
 * @param exitCode the process's exit code; 128 + n when signal n ended it
 * @param reason {@code Completed} for exit code 0, else {@code Error}
 */
record Termination(int exitCode, String reason, Instant startedAt, Instant finishedAt) {
  static Termination of(int exitCode, Instant startedAt, Instant finishedAt) {
    return new Termination(exitCode, exitCode == 0 ? "Completed" : "Error", startedAt, finishedAt);
  }
}
