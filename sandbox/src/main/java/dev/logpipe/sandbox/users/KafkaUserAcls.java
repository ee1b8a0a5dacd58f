package dev.logpipe.sandbox.users;

import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserSpec;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleClusterResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka ACL bindings a KafkaUser's {@code authorization: simple} asks for, one per rule and
 * operation, as Strimzi's User Operator derives them: principal {@code User:<name>}, host {@code *}
 * unless given, literal patterns unless {@code prefix}. Pure: no Kafka calls.
 */
final class KafkaUserAcls {
  private KafkaUserAcls() {}

  static String principal(String username) {
    return "User:" + username;
  }

  /**
   * The bindings of the spec; an empty set for no authorization.
   *
   * @throws IllegalArgumentException naming the rule when a rule cannot be mapped (unknown
   *     authorization type or resource)
   */
  static Set<AclBinding> desired(String username, KafkaUserSpec spec) {
    Set<AclBinding> bindings = new LinkedHashSet<>();
    if (spec == null || spec.getAuthorization() == null) {
      return bindings;
    }
    if (!(spec.getAuthorization() instanceof KafkaUserAuthorizationSimple simple)) {
      throw new IllegalArgumentException(
          "authorization type " + spec.getAuthorization().getType() + " is not supported");
    }
    List<AclRule> rules = simple.getAcls() == null ? List.of() : simple.getAcls();
    for (AclRule rule : rules) {
      ResourcePattern pattern = pattern(rule.getResource());
      AclPermissionType permission =
          rule.getType() == AclRuleType.DENY ? AclPermissionType.DENY : AclPermissionType.ALLOW;
      String host = rule.getHost() == null ? "*" : rule.getHost();
      for (io.strimzi.api.kafka.model.user.acl.AclOperation op : operations(rule)) {
        bindings.add(
            new AclBinding(
                pattern,
                new AccessControlEntry(principal(username), host, operation(op), permission)));
      }
    }
    return bindings;
  }

  private static List<io.strimzi.api.kafka.model.user.acl.AclOperation> operations(AclRule rule) {
    if (rule.getOperations() != null && !rule.getOperations().isEmpty()) {
      return rule.getOperations();
    }
    if (rule.getOperation() != null) { // the deprecated single-operation form
      return List.of(rule.getOperation());
    }
    throw new IllegalArgumentException("an ACL rule without operations");
  }

  private static AclOperation operation(io.strimzi.api.kafka.model.user.acl.AclOperation op) {
    // Strimzi's names are Kafka's without underscores (DescribeConfigs, IdempotentWrite, ...).
    return switch (op) {
      case DESCRIBECONFIGS -> AclOperation.DESCRIBE_CONFIGS;
      case ALTERCONFIGS -> AclOperation.ALTER_CONFIGS;
      case CLUSTERACTION -> AclOperation.CLUSTER_ACTION;
      case IDEMPOTENTWRITE -> AclOperation.IDEMPOTENT_WRITE;
      default -> AclOperation.valueOf(op.name().toUpperCase(Locale.ROOT));
    };
  }

  private static ResourcePattern pattern(AclRuleResource resource) {
    if (resource instanceof AclRuleTopicResource t) {
      return new ResourcePattern(ResourceType.TOPIC, t.getName(), patternType(t.getPatternType()));
    }
    if (resource instanceof AclRuleGroupResource g) {
      return new ResourcePattern(ResourceType.GROUP, g.getName(), patternType(g.getPatternType()));
    }
    if (resource instanceof AclRuleTransactionalIdResource x) {
      return new ResourcePattern(
          ResourceType.TRANSACTIONAL_ID, x.getName(), patternType(x.getPatternType()));
    }
    if (resource instanceof AclRuleClusterResource) {
      return new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
    }
    throw new IllegalArgumentException(
        "ACL resource "
            + (resource == null ? "missing" : resource.getType())
            + " is not supported");
  }

  private static PatternType patternType(AclResourcePatternType type) {
    return type == AclResourcePatternType.PREFIX ? PatternType.PREFIXED : PatternType.LITERAL;
  }
}
