package dev.logpipe.operator.status;

/** One condition's outcome before it is stamped into the status by {@link StatusAggregator}. */
public record ConditionResult(ConditionStatus status, Reason reason, String message) {
  public static ConditionResult isTrue(Reason reason, String message) {
    return new ConditionResult(ConditionStatus.True, reason, message);
  }

  public static ConditionResult isFalse(Reason reason, String message) {
    return new ConditionResult(ConditionStatus.False, reason, message);
  }

  public static ConditionResult unknown(Reason reason, String message) {
    return new ConditionResult(ConditionStatus.Unknown, reason, message);
  }

  /** Records this result for {@code type}. */
  public void applyTo(StatusAggregator aggregator, ConditionType type) {
    aggregator.set(type, status, reason, message);
  }
}
