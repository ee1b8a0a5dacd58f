package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaUserFactoryTest {
  private final ClusterLogBackend backend = TestingFixtures.backend();
  private final LogPipeline pipeline = TestingFixtures.pipeline("team-payments", "payments");

  private PipelineNames names() {
    return PipelineNames.of(pipeline, backend);
  }

  @Test
  void theWorkerReadsItsTopicInItsGroupAndWritesItsDeadLetterTopicOnly() {
    pipeline.getSpec().getDeadLetter().setEnabled(true);

    KafkaUser user = KafkaUserFactory.worker(names(), pipeline.getSpec(), backend.getSpec());

    assertThat(user.getApiVersion()).isEqualTo("kafka.strimzi.io/v1");
    assertThat(Serialization.asYaml(user)).contains("type: \"scram-sha-512\"", "type: \"simple\"");
    assertThat(user.getMetadata().getName()).isEqualTo("logpipe.team-payments.payments.worker");
    assertThat(user.getMetadata().getNamespace()).isEqualTo("kafka");
    assertThat(user.getMetadata().getLabels())
        .containsEntry("strimzi.io/cluster", "logs")
        .containsEntry("app.kubernetes.io/managed-by", "logpipe-operator")
        .containsEntry("logpipe.dev/pipeline-namespace", "team-payments")
        .containsEntry("logpipe.dev/pipeline-name", "payments");
    assertThat(user.getMetadata().getAnnotations())
        .containsEntry("io.javaoperatorsdk/primary-namespace", "team-payments")
        .containsEntry("io.javaoperatorsdk/primary-name", "payments");
    assertThat(user.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(user.getSpec().getAuthentication())
        .isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
    assertThat(rules(user))
        .containsExactly(
            "topic logpipe.team-payments.payments literal [READ] allow",
            "group logpipe.team-payments.payments literal [READ] allow",
            "topic logpipe.team-payments.payments.dlq literal [WRITE] allow");
  }

  @Test
  void withoutDeadLettersTheWorkerCannotWriteAnything() {
    pipeline.getSpec().getDeadLetter().setEnabled(false);

    assertThat(rules(KafkaUserFactory.worker(names(), pipeline.getSpec(), backend.getSpec())))
        .containsExactly(
            "topic logpipe.team-payments.payments literal [READ] allow",
            "group logpipe.team-payments.payments literal [READ] allow");
  }

  @Test
  void theGatewayOnlyWritesItsTopic() {
    KafkaUser user = KafkaUserFactory.gateway(names(), backend.getSpec());

    assertThat(user.getMetadata().getName()).isEqualTo("logpipe.team-payments.payments.gateway");
    assertThat(user.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/component", "kafka-user-gateway");
    assertThat(rules(user))
        .containsExactly("topic logpipe.team-payments.payments literal [WRITE] allow");
  }

  /**
   * Each rule as "resource name pattern [operations] type", with Strimzi's defaults spelled out.
   */
  private static List<String> rules(KafkaUser user) {
    KafkaUserAuthorizationSimple simple =
        (KafkaUserAuthorizationSimple) user.getSpec().getAuthorization();
    return simple.getAcls().stream().map(KafkaUserFactoryTest::describe).toList();
  }

  private static String describe(AclRule rule) {
    String resource;
    AclResourcePatternType pattern;
    if (rule.getResource() instanceof AclRuleTopicResource t) {
      resource = "topic " + t.getName();
      pattern = t.getPatternType();
    } else {
      AclRuleGroupResource g = (AclRuleGroupResource) rule.getResource();
      resource = "group " + g.getName();
      pattern = g.getPatternType();
    }
    return resource
        + " "
        + (pattern == null ? AclResourcePatternType.LITERAL : pattern).toValue()
        + " "
        + rule.getOperations().stream().map(Enum::name).toList()
        + " "
        + (rule.getType() == null ? "allow" : rule.getType().toValue());
  }
}
