package dev.logpipe.operator.external;

import java.util.Set;

/**
 * What ClickHouse holds for one pipeline: the log table's columns and TTL, and whether every object
 * derived from it exists (offsets view, stats rollup table and its view). The desired state uses
 * the same shape, so matching is a comparison.
 *
 * @param retentionDays the table TTL in days, or null when the table has none we recognise
 * @param comment the table's COMMENT: the owning pipeline's identity ({@code StorageOwner}), empty
 *     on a table created before owners were recorded
 */
public record TableState(
    String database,
    String table,
    Integer retentionDays,
    Set<String> columns,
    boolean derivedObjects,
    String comment) {

  /** True when {@code actual} already satisfies this (desired) state. */
  public boolean satisfiedBy(TableState actual) {
    return actual != null
        && retentionDays.equals(actual.retentionDays())
        && actual.columns().containsAll(columns)
        && actual.derivedObjects() == derivedObjects
        && java.util.Objects.equals(comment, actual.comment());
  }
}
