package dev.logpipe.operator.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Every rule of our CRDs (types, bounds, enums, patterns, lengths, required fields and the CEL
 * rules), enforced by the operator on the spec it read. An API server normally refuses such specs
 * at apply time, but not when the served CRD is older or newer than the operator, or when no server
 * validated at all; then the resource is refused here with the same messages instead of reaching
 * Kafka, ClickHouse or a stack trace (issue 13, finding 3).
 *
 * <p>The schemas are the CRDs the build generated from the api types (on the classpath under
 * META-INF/fabric8), so this check and {@code kubectl apply} can never disagree.
 */
public final class SpecValidation {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final JSONSchemaProps PIPELINE = schema("logpipelines.logpipe.dev-v1.yml");
  private static final JSONSchemaProps BACKEND = schema("clusterlogbackends.logpipe.dev-v1.yml");

  private SpecValidation() {}

  /** Every violation of the LogPipeline schema, each starting with its path ("spec.topic..."). */
  public static List<String> check(LogPipeline pipeline) {
    return SchemaCheck.check(PIPELINE, manifest(pipeline));
  }

  /** Every violation of the ClusterLogBackend schema. */
  public static List<String> check(ClusterLogBackend backend) {
    return SchemaCheck.check(BACKEND, manifest(backend));
  }

  /**
   * The resource as the API server would hand it to validation: the typed spec (defaults filled,
   * nulls omitted, fields this version does not know already set aside by the tolerant reader) and
   * the metadata the root rules read.
   */
  private static JsonNode manifest(HasMetadata resource) {
    ObjectNode node = SERIALIZATION.convertValue(resource, ObjectNode.class);
    node.remove("status");
    ObjectNode metadata = node.putObject("metadata");
    metadata.put("name", resource.getMetadata().getName());
    if (resource.getMetadata().getNamespace() != null) {
      metadata.put("namespace", resource.getMetadata().getNamespace());
    }
    return node;
  }

  private static JSONSchemaProps schema(String file) {
    String resource = "/META-INF/fabric8/" + file;
    try (InputStream in = SpecValidation.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing: the operator build generates it");
      }
      return SERIALIZATION
          .unmarshal(in, CustomResourceDefinition.class)
          .getSpec()
          .getVersions()
          .get(0)
          .getSchema()
          .getOpenAPIV3Schema();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
