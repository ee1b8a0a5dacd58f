package dev.logpipe.operator.autoscale;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds a user's HPA or KEDA ScaledObject that targets a worker Deployment: two operators writing
 * replicas would fight, so the operator then leaves replicas to it. KEDA is optional: when its CRD
 * is absent the list answers 404, which means "none", re-checked every few minutes.
 */
final class ExternalScalers {
  static final String SCALED_OBJECT = "ScaledObject";
  private static final Duration KEDA_RECHECK = Duration.ofMinutes(5);
  // Given in full: the generic client would otherwise need discovery, which fails without the CRD.
  private static final ResourceDefinitionContext SCALED_OBJECTS =
      new ResourceDefinitionContext.Builder()
          .withGroup("keda.sh")
          .withVersion("v1alpha1")
          .withKind(SCALED_OBJECT)
          .withPlural("scaledobjects")
          .withNamespaced(true)
          .build();

  private final KubernetesClient client;
  private final Clock clock;
  private Instant kedaAbsentUntil = Instant.MIN;

  ExternalScalers(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** Deployment name to a description of the scaler that targets it, in {@code namespace}. */
  Map<String, String> in(String namespace) {
    Map<String, String> found = new HashMap<>();
    for (HorizontalPodAutoscaler hpa :
        client
            .autoscaling()
            .v2()
            .horizontalPodAutoscalers()
            .inNamespace(namespace)
            .list()
            .getItems()) {
      var ref = hpa.getSpec() == null ? null : hpa.getSpec().getScaleTargetRef();
      if (ref != null && "Deployment".equals(ref.getKind())) {
        found.put(ref.getName(), "HorizontalPodAutoscaler " + hpa.getMetadata().getName());
      }
    }
    if (clock.instant().isBefore(kedaAbsentUntil)) {
      return found;
    }
    try {
      for (GenericKubernetesResource so :
          client
              .genericKubernetesResources(SCALED_OBJECTS)
              .inNamespace(namespace)
              .list()
              .getItems()) {
        Object ref = so.getAdditionalProperties().get("spec");
        if (ref instanceof Map<?, ?> spec && spec.get("scaleTargetRef") instanceof Map<?, ?> t) {
          Object kind = t.get("kind");
          if ((kind == null || "Deployment".equals(kind)) && t.get("name") instanceof String n) {
            // KEDA also creates an HPA (keda-hpa-*); the ScaledObject is what the user wrote.
            found.put(n, "KEDA ScaledObject " + so.getMetadata().getName());
          }
        }
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      kedaAbsentUntil = clock.instant().plus(KEDA_RECHECK);
    }
    return found;
  }
}
