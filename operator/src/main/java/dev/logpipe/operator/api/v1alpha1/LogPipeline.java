package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A log pipeline: a Kafka topic, workers that parse, score and store the logs, a ClickHouse table
 * and a Redis cache, all derived from this one resource.
 */
@Group(LogPipeline.GROUP)
@Version(LogPipeline.VERSION)
@ShortNames("lp")
// The generator orders printer columns by jsonPath, so the Age column comes first.
// The name becomes a table name, label values and Service names: a DNS label keeps all valid.
@ValidationRule(
    value = "self.metadata.name.matches('^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$')",
    message =
        "metadata.name must be a DNS label: at most 63 lower-case letters, digits and '-', no"
            + " dots")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Workers-Ready",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.workers.ready")
@AdditionalPrinterColumn(
    name = "Workers",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.workers.desired")
@AdditionalPrinterColumn(
    name = "Lag",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.workers.lagRecords")
@AdditionalPrinterColumn(
    name = "Lag-Seconds",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.workers.lagSeconds")
@AdditionalPrinterColumn(
    name = "Topic",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.topic.name")
@AdditionalPrinterColumn(
    name = "Table",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.storage.table")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class LogPipeline extends CustomResource<LogPipelineSpec, LogPipelineStatus>
    implements Namespaced {
  public static final String GROUP = "logpipe.dev";
  public static final String VERSION = "v1alpha1";

  // spec and status are CustomResource's fields: these overrides carry their descriptions into
  // the CRD schema, which `kubectl explain lp.spec` shows.
  @Override
  @JsonPropertyDescription(
      "What the pipeline should be: the backend it uses, its Kafka topic, the log format and"
          + " field mapping, workers and batching, anomaly rules, storage retention, the Redis"
          + " cache, the optional HTTP gateway, the dead-letter topic, and what deletion keeps."
          + " Every block is optional; omitted values take the defaults.")
  public LogPipelineSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator observed, written only by it: the conditions (Ready, TopicReady,"
          + " StorageReady, CacheReady, WorkersAvailable, GatewayAvailable, CredentialsReady) with"
          + " reasons, the"
          + " generation they describe, and the topic, table, workers and gateway it runs.")
  public LogPipelineStatus getStatus() {
    return super.getStatus();
  }
}
