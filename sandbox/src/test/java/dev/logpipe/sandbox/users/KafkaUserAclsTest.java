package dev.logpipe.sandbox.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strimzi.api.kafka.model.user.KafkaUserSpec;
import io.strimzi.api.kafka.model.user.KafkaUserSpecBuilder;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRuleBuilder;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class KafkaUserAclsTest {
  @Test
  void oneBindingPerRuleAndOperationWithStrimzisDefaults() {
    KafkaUserSpec spec =
        new KafkaUserSpecBuilder()
            .withNewKafkaUserAuthorizationSimple()
            .withAcls(
                new AclRuleBuilder()
                    .withNewAclRuleTopicResource()
                    .withName("t")
                    .endAclRuleTopicResource()
                    .withOperations(AclOperation.READ, AclOperation.DESCRIBECONFIGS)
                    .build(),
                new AclRuleBuilder()
                    .withNewAclRuleGroupResource()
                    .withName("g-")
                    .withPatternType(AclResourcePatternType.PREFIX)
                    .endAclRuleGroupResource()
                    .withOperations(AclOperation.READ)
                    .withType(AclRuleType.DENY)
                    .withHost("10.0.0.1")
                    .build())
            .endKafkaUserAuthorizationSimple()
            .build();

    assertThat(KafkaUserAcls.desired("u", spec))
        .containsExactlyInAnyOrder(
            binding(ResourceType.TOPIC, "t", PatternType.LITERAL, "*", "READ", "ALLOW"),
            binding(ResourceType.TOPIC, "t", PatternType.LITERAL, "*", "DESCRIBE_CONFIGS", "ALLOW"),
            binding(ResourceType.GROUP, "g-", PatternType.PREFIXED, "10.0.0.1", "READ", "DENY"));
  }

  @Test
  void noAuthorizationMeansNoBindingsAndARuleWithoutOperationsIsRefused() {
    assertThat(KafkaUserAcls.desired("u", new KafkaUserSpec())).isEmpty();
    KafkaUserSpec noOps =
        new KafkaUserSpecBuilder()
            .withNewKafkaUserAuthorizationSimple()
            .withAcls(
                new AclRuleBuilder()
                    .withNewAclRuleTopicResource()
                    .withName("t")
                    .endAclRuleTopicResource()
                    .build())
            .endKafkaUserAuthorizationSimple()
            .build();
    assertThatThrownBy(() -> KafkaUserAcls.desired("u", noOps))
        .hasMessage("an ACL rule without operations");
  }

  private static AclBinding binding(
      ResourceType type, String name, PatternType pattern, String host, String op, String perm) {
    return new AclBinding(
        new ResourcePattern(type, name, pattern),
        new AccessControlEntry(
            "User:u",
            host,
            org.apache.kafka.common.acl.AclOperation.valueOf(op),
            AclPermissionType.valueOf(perm)));
  }
}
