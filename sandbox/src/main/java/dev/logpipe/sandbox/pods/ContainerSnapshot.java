package dev.logpipe.sandbox.pods;

import java.time.Instant;

/**
 * What the node agent knows of a pod's container at one moment; {@link PodStatusFactory} turns it
 * into the Pod's status.
 *
 * @param accepted when the node agent took the pod on (status.startTime)
 * @param runningSince when the current process started; null when none runs
 * @param readyChanged when readiness last flipped (the Ready condition's lastTransitionTime)
 * @param lastTermination how the previous process ended; null if none ended yet
 * @param waitingReason why no process runs (ContainerCreating, CrashLoopBackOff,
 *     CreateContainerConfigError, CreateContainerError); null while one runs
 */
record ContainerSnapshot(
    Instant accepted,
    Instant runningSince,
    boolean ready,
    Instant readyChanged,
    int restartCount,
    Termination lastTermination,
    String waitingReason,
    String waitingMessage,
    long pid) {}
