package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Names a Strimzi Kafka resource. */
public class StrimziClusterRef {
  @Required
  @Pattern(KubernetesPatterns.DNS_LABEL)
  @JsonPropertyDescription("Name of the Strimzi Kafka resource.")
  private String name;

  @Required
  @Pattern(KubernetesPatterns.DNS_LABEL)
  @JsonPropertyDescription("Namespace of the Strimzi Kafka resource; KafkaTopics are created here.")
  private String namespace;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }
}
