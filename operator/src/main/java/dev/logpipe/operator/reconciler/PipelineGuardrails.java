package dev.logpipe.operator.reconciler;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.dependent.PipelineInputs;
import dev.logpipe.operator.model.InvalidPipelineException;
import dev.logpipe.operator.model.LimitsCheck;
import dev.logpipe.operator.model.PipelineConfigFactory;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.schema.SpecValidation;
import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.Reason;
import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Decides whether a pipeline may be built at all: its spec keeps every rule of the CRD schema, its
 * backend exists, its namespace may use it, it stays within the backend's limits and its
 * configuration is valid. Fields the operator does not know are ignored and named in the message.
 * Runs before the workflow; a rejected pipeline's workflow is not invoked, so nothing is created or
 * changed for it.
 */
final class PipelineGuardrails {
  private PipelineGuardrails() {}

  /** Accepted: True, or False with the reason and every violated limit. */
  static ConditionResult check(LogPipeline pipeline, Context<LogPipeline> context) {
    List<String> invalid = invalidFields(pipeline);
    if (!invalid.isEmpty()) {
      return ConditionResult.isFalse(
          Reason.InvalidSpec, "Not built: " + String.join("; ", invalid) + ".");
    }
    ClusterLogBackend backend = context.getSecondaryResource(ClusterLogBackend.class).orElse(null);
    if (backend == null) {
      return ConditionResult.isFalse(
          Reason.BackendNotFound, PipelineInputs.backendNotFound(pipeline).getMessage());
    }
    if (!backend.getSpec().getSpecProblems().unreadableFields().isEmpty()
        || !SpecValidation.check(backend).isEmpty()) {
      return ConditionResult.isFalse(
          Reason.BackendNotReady,
          "Not built: ClusterLogBackend "
              + backend.getMetadata().getName()
              + " has an invalid spec; its Accepted condition says what the platform team must"
              + " fix.");
    }
    String namespace = pipeline.getMetadata().getNamespace();
    Map<String, String> labels =
        context
            .getSecondaryResource(Namespace.class)
            .map(ns -> ns.getMetadata().getLabels())
            .orElse(Map.of());
    List<LimitsCheck.Violation> violations =
        LimitsCheck.check(
            namespace,
            labels,
            pipeline.getSpec(),
            backend.getMetadata().getName(),
            backend.getSpec());
    if (!violations.isEmpty()) {
      Reason reason =
          violations.get(0).namespaceNotAllowed()
              ? Reason.NamespaceNotAllowed
              : Reason.LimitExceeded;
      return ConditionResult.isFalse(
          reason,
          "Not built: "
              + violations.stream()
                  .map(LimitsCheck.Violation::message)
                  .collect(Collectors.joining("; "))
              + ".");
    }
    try {
      PipelineNames names = PipelineNames.of(pipeline, backend);
      if (pipeline.getSpec().getGateway().isEnabled()) {
        names.requireGatewayServiceName();
      }
      PipelineConfigFactory.build(names, pipeline.getSpec(), backend.getSpec());
    } catch (InvalidPipelineException e) {
      return ConditionResult.isFalse(Reason.InvalidSpec, "Not built: " + e.getMessage());
    }
    String accepted =
        "The spec is valid and within the limits of ClusterLogBackend "
            + backend.getMetadata().getName()
            + ".";
    List<String> ignored = pipeline.getSpec().getSpecProblems().ignoredFields();
    if (!ignored.isEmpty()) {
      return ConditionResult.isTrue(
          Reason.AcceptedWithWarnings, accepted + " " + ignoredMessage(ignored));
    }
    return ConditionResult.isTrue(Reason.Accepted, accepted);
  }

  /**
   * What the operator could not read, or else every rule of the CRD schema the spec breaks: an API
   * server checks those at apply time, but not when its CRD differs from the operator's.
   */
  static List<String> invalidFields(LogPipeline pipeline) {
    List<String> unreadable = pipeline.getSpec().getSpecProblems().unreadableFields();
    // Unreadable values stand in as defaults; checking those too would only add noise.
    return unreadable.isEmpty() ? SpecValidation.check(pipeline) : unreadable;
  }

  static String ignoredMessage(List<String> ignored) {
    return "Ignored fields this operator does not know (a typo, or a CRD newer than the"
        + " operator): "
        + String.join(", ", ignored)
        + ".";
  }
}
