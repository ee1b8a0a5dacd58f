package dev.logpipe.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Where pipelines store their data and what tenants may ask for; cluster-scoped, written by the
 * platform team. A LogPipeline names its backend in {@code spec.backend}.
 */
@Group(LogPipeline.GROUP)
@Version(LogPipeline.VERSION)
@ShortNames("clb")
// LogPipelines name their backend in spec.backend, a DNS label: any other name could not be used.
@ValidationRule(
    value = "self.metadata.name.matches('" + KubernetesPatterns.DNS_LABEL + "')",
    message =
        "metadata.name must be a DNS label (LogPipelines name their backend in spec.backend, a DNS"
            + " label): at most 63 lower-case letters, digits and '-', no dots")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "ClickHouse",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.clickhouseVersion")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class ClusterLogBackend
    extends io.fabric8.kubernetes.client.CustomResource<
        ClusterLogBackendSpec, ClusterLogBackendStatus> {

  /** The backend a LogPipeline uses when it names none. */
  public static final String DEFAULT_NAME = "default";

  // spec and status are CustomResource's fields: these overrides carry their descriptions into
  // the CRD schema, which `kubectl explain clb.spec` shows.
  @Override
  @com.fasterxml.jackson.annotation.JsonPropertyDescription(
      "Where pipelines' data goes and what tenants may ask for: the Kafka cluster (and the"
          + " Strimzi cluster that owns its topics), ClickHouse and Redis with their admin"
          + " credentials, limits on partitions, workers and retention, and which namespaces may"
          + " use this backend.")
  public ClusterLogBackendSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @com.fasterxml.jackson.annotation.JsonPropertyDescription(
      "What the operator observed: Ready and the reachability of each backend, the ClickHouse"
          + " version and when it last checked.")
  public ClusterLogBackendStatus getStatus() {
    return super.getStatus();
  }
}
