package dev.logpipe.worker.it;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.worker.config.KafkaLogin;
import dev.logpipe.worker.config.PipelineConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A pipeline's worker user on the dev Kafka's SASL listener (SCRAM-SHA-512, KRaft's {@code
 * StandardAuthorizer}) with exactly the literal ACLs the operator's worker KafkaUser grants ({@code
 * KafkaUserFactory}: READ on the topic and on the group, WRITE on the dead-letter topic), so a
 * worker process started with {@link #env()} meets what it meets in a cluster with authentication
 * on. The password is random per user; the administrator's plaintext listener keeps serving the
 * tests' own producers and checks.
 */
public record WorkerKafkaUser(String name, String password) {

  /** Makes the user and its ACLs for {@code kafka}'s topic, group and dead-letter topic. */
  public static WorkerKafkaUser create(DevServices services, PipelineConfig.Kafka kafka)
      throws Exception {
    WorkerKafkaUser user =
        new WorkerKafkaUser(kafka.topic() + ".worker", UUID.randomUUID().toString());
    List<AclBinding> acls = new ArrayList<>();
    acls.add(allow(ResourceType.TOPIC, kafka.topic(), AclOperation.READ, user.name));
    acls.add(allow(ResourceType.GROUP, kafka.groupId(), AclOperation.READ, user.name));
    if (kafka.deadLetterTopic() != null) {
      acls.add(allow(ResourceType.TOPIC, kafka.deadLetterTopic(), AclOperation.WRITE, user.name));
    }
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", services.kafkaBootstrap()))) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user.name,
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                      user.password)))
          .all()
          .get(30, TimeUnit.SECONDS);
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    }
    return user;
  }

  /** {@code kafka} moved to the SASL listener, as the operator's ConfigMap does. */
  public static PipelineConfig.Kafka onScramListener(
      DevServices services, PipelineConfig.Kafka kafka) {
    Map<String, String> props =
        new TreeMap<>(kafka.clientProperties() == null ? Map.of() : kafka.clientProperties());
    props.put("security.protocol", "SASL_PLAINTEXT");
    props.put("sasl.mechanism", "SCRAM-SHA-512");
    return new PipelineConfig.Kafka(
        services.kafkaScramBootstrap(),
        kafka.topic(),
        kafka.groupId(),
        kafka.deadLetterTopic(),
        props);
  }

  /** The worker's environment for this login, as the operator's Deployment sets it. */
  public Map<String, String> env() {
    return Map.of(KafkaLogin.KAFKA_USER, name, KafkaLogin.KAFKA_PASSWORD, password);
  }

  static AclBinding allow(ResourceType type, String name, AclOperation operation, String user) {
    return new AclBinding(
        new ResourcePattern(type, name, PatternType.LITERAL),
        new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
  }
}
