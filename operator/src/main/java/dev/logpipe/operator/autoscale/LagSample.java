package dev.logpipe.operator.autoscale;

import java.time.Instant;

/**
 * One measurement of a pipeline's consumer-group lag.
 *
 * @param lagRecords end offsets minus committed offsets, summed over partitions
 * @param lagSeconds estimated age of the oldest record not yet committed, the largest over
 *     partitions (see {@link EndOffsetHistory})
 */
public record LagSample(Instant at, long lagRecords, long lagSeconds) {}
