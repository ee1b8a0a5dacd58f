package dev.logpipe.operator.api.v1alpha1;

import java.util.List;

/**
 * What the operator could not use from a spec as it was read: fields it does not know (ignored) and
 * values it cannot read (the resource is refused). Paths look like {@code spec.format.colour}.
 */
public record SpecProblems(List<String> ignoredFields, List<String> unreadableFields) {
  public static final SpecProblems NONE = new SpecProblems(List.of(), List.of());

  /** A spec that remembers what {@link TolerantReader} found while reading it. */
  public interface Holder {
    SpecProblems getSpecProblems();

    void setSpecProblems(SpecProblems problems);
  }
}
