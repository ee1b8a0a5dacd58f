package dev.logpipe.worker.parse;

/**
 * Bounds that keep one hostile record from costing more than a bounded amount of memory and CPU.
 *
 * @param maxRecordBytes larger records are rejected as too_large
 * @param maxDepth deeper JSON nesting is rejected as too_deep
 * @param maxAttributes attributes beyond this are dropped and counted in {@code
 *     _attributes_dropped}
 * @param maxValueChars longer attribute values and short columns are cut, listed in {@code
 *     _truncated}
 */
public record ParseLimits(int maxRecordBytes, int maxDepth, int maxAttributes, int maxValueChars) {

  public static final ParseLimits DEFAULTS = new ParseLimits(1 << 20, 32, 64, 4096);

  public ParseLimits {
    if (maxRecordBytes < 1 || maxDepth < 1 || maxAttributes < 0 || maxValueChars < 16) {
      throw new IllegalArgumentException("invalid parse limits");
    }
  }

  public ParseLimits withMaxRecordBytes(int bytes) {
    return new ParseLimits(bytes, maxDepth, maxAttributes, maxValueChars);
  }
}
