package dev.logpipe.operator.model;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackendSpec;
import dev.logpipe.operator.api.v1alpha1.LogPipelineSpec;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserBuilder;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Desired Strimzi KafkaUsers of a pipeline (SCRAM-SHA-512, {@code authorization: simple}), one per
 * process kind so each holds only what its pods do: the worker reads the pipeline's topic in the
 * pipeline's consumer group and writes its dead-letter topic (when dead-lettering is on); the
 * gateway only writes the pipeline's topic, so gateway credentials cannot consume. Every rule is a
 * literal name: no prefix pattern could reach another pipeline's topic or group. Like the
 * KafkaTopics they live in the Strimzi cluster's namespace, tied to the pipeline by labels and
 * JOSDK's primary annotations (no owner reference across namespaces).
 *
 * <p>Strimzi's User Operator makes the user named like the KafkaUser and writes its password to a
 * Secret of the same name in that namespace.
 *
 * <p>Made only when the backend has {@code spec.kafka.authentication}; the pods log in with them
 * ({@code LOGPIPE_KAFKA_USER}, {@code LOGPIPE_KAFKA_PASSWORD}), the password copied from that
 * Secret into the pipeline's credentials Secret.
 */
public final class KafkaUserFactory {
  public static final String API_VERSION = "kafka.strimzi.io/v1";

  private KafkaUserFactory() {}

  /** {@code logpipe.<namespace>.<name>.worker}: a valid KafkaUser name and Kafka user name. */
  public static String workerUser(PipelineNames names) {
    return names.backendUser() + ".worker";
  }

  /** {@code logpipe.<namespace>.<name>.gateway}. */
  public static String gatewayUser(PipelineNames names) {
    return names.backendUser() + ".gateway";
  }

  public static KafkaUser worker(
      PipelineNames names, LogPipelineSpec spec, ClusterLogBackendSpec backend) {
    List<AclRule> acls = new ArrayList<>();
    acls.add(topic(names.topic(), AclOperation.READ));
    acls.add(group(names.groupId(), AclOperation.READ));
    if (spec.getDeadLetter().isEnabled()) {
      acls.add(topic(names.deadLetterTopic(), AclOperation.WRITE));
    }
    return build(names, workerUser(names), "kafka-user-worker", backend, acls);
  }

  public static KafkaUser gateway(PipelineNames names, ClusterLogBackendSpec backend) {
    return build(
        names,
        gatewayUser(names),
        "kafka-user-gateway",
        backend,
        List.of(topic(names.topic(), AclOperation.WRITE)));
  }

  private static AclRule topic(String name, AclOperation operation) {
    return new AclRuleBuilder()
        .withNewAclRuleTopicResource()
        .withName(name)
        .endAclRuleTopicResource()
        .withOperations(operation)
        .build();
  }

  private static AclRule group(String name, AclOperation operation) {
    return new AclRuleBuilder()
        .withNewAclRuleGroupResource()
        .withName(name)
        .endAclRuleGroupResource()
        .withOperations(operation)
        .build();
  }

  private static KafkaUser build(
      PipelineNames names,
      String user,
      String component,
      ClusterLogBackendSpec backend,
      List<AclRule> acls) {
    Map<String, String> labels = names.labels(component);
    labels.put(KafkaTopicFactory.CLUSTER_LABEL, backend.getKafka().getStrimziCluster().getName());
    return new KafkaUserBuilder()
        .withApiVersion(API_VERSION)
        .withNewMetadata()
        .withName(user)
        .withNamespace(backend.getKafka().getStrimziCluster().getNamespace())
        .withLabels(labels)
        .withAnnotations(
            Map.of(
                Mappers.DEFAULT_ANNOTATION_FOR_NAMESPACE, names.namespace(),
                Mappers.DEFAULT_ANNOTATION_FOR_NAME, names.name()))
        .endMetadata()
        .withNewSpec()
        .withNewKafkaUserScramSha512ClientAuthentication()
        .endKafkaUserScramSha512ClientAuthentication()
        .withNewKafkaUserAuthorizationSimple()
        .withAcls(acls)
        .endKafkaUserAuthorizationSimple()
        .endSpec()
        .build();
  }
}
