package dev.logpipe.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Collects one result per condition during a reconciliation and turns them into the status's
 * condition list: derives Ready, stamps observedGeneration and keeps lastTransitionTime of every
 * condition whose status did not change. Compare the resulting status with the old one ({@link
 * #changed}) and patch only when it differs.
 *
 * <pre>{@code
 * var agg = new StatusAggregator(generation, clock).require(Accepted, TopicReady, StorageReady);
 * agg.set(TopicReady, True, Reason.TopicReady, "Topic logpipe.a.b is ready.");
 * status.setConditions(agg.conditions(old.getConditions()));
 * status.setObservedGeneration(agg.observedGeneration());
 * }</pre>
 */
public final class StatusAggregator {
  private record Result(ConditionStatus status, Reason reason, String message) {}

  private final long generation;
  private final Clock clock;
  private final Map<ConditionType, Result> results = new EnumMap<>(ConditionType.class);
  private final Set<ConditionType> required = EnumSet.noneOf(ConditionType.class);
  private String readyMessage = "All parts of this resource are ready.";

  public StatusAggregator(long generation, Clock clock) {
    this.generation = generation;
    this.clock = clock;
  }

  /** Conditions that must be True for Ready to be True. */
  public StatusAggregator require(ConditionType... types) {
    required.addAll(List.of(types));
    return this;
  }

  /** The message Ready carries when it is True. */
  public StatusAggregator readyMessage(String message) {
    this.readyMessage = message;
    return this;
  }

  /** Records one result; the last one for a type wins. Ready itself is derived, never set. */
  public StatusAggregator set(
      ConditionType type, ConditionStatus status, Reason reason, String message) {
    if (type == ConditionType.Ready) {
      throw new IllegalArgumentException("Ready is derived from the other conditions");
    }
    if (message == null || message.isBlank()) {
      throw new IllegalArgumentException("every condition needs a message, " + type + " has none");
    }
    results.put(type, new Result(status, reason, message));
    return this;
  }

  public long observedGeneration() {
    return generation;
  }

  /** Ready first, then the reported conditions in {@link ConditionType} order. */
  public List<Condition> conditions(List<Condition> previous) {
    Map<ConditionType, Result> all = new EnumMap<>(ConditionType.class);
    all.put(ConditionType.Ready, ready());
    all.putAll(results);
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    List<Condition> out = new ArrayList<>();
    all.forEach((type, r) -> out.add(condition(type, r, find(previous, type), now)));
    return out;
  }

  /** True when a new status differs from the old one and so must be patched. */
  public static boolean changed(Object oldStatus, Object newStatus) {
    return !Objects.equals(oldStatus, newStatus);
  }

  // A definite failure explains more than a pending check, so the first False wins over an
  // earlier Unknown; both make Ready False (a printer column of True/False reads at a glance).
  private Result ready() {
    Result firstUnknown = null;
    for (ConditionType type : required) {
      Result r = results.get(type);
      if (r == null) {
        r =
            new Result(
                ConditionStatus.Unknown, Reason.Pending, type + " has not been checked yet.");
      }
      if (r.status() == ConditionStatus.False) {
        return new Result(ConditionStatus.False, r.reason(), r.message());
      }
      if (r.status() == ConditionStatus.Unknown && firstUnknown == null) {
        firstUnknown = r;
      }
    }
    if (firstUnknown != null) {
      return new Result(ConditionStatus.False, firstUnknown.reason(), firstUnknown.message());
    }
    return new Result(ConditionStatus.True, Reason.Ready, readyMessage);
  }

  private Condition condition(ConditionType type, Result r, Condition before, String now) {
    boolean same = before != null && r.status().name().equals(before.getStatus());
    return new ConditionBuilder()
        .withType(type.name())
        .withStatus(r.status().name())
        .withReason(r.reason().name())
        .withMessage(r.message())
        .withObservedGeneration(generation)
        .withLastTransitionTime(
            same && before.getLastTransitionTime() != null ? before.getLastTransitionTime() : now)
        .build();
  }

  private static Condition find(List<Condition> previous, ConditionType type) {
    if (previous == null) {
      return null;
    }
    return previous.stream().filter(c -> type.name().equals(c.getType())).findFirst().orElse(null);
  }
}
