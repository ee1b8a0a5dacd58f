package dev.logpipe.operator.testing;

import dev.logpipe.operator.config.OperatorConfig;
import dev.logpipe.operator.rbac.OperatorPermissions;
import dev.logpipe.operator.rbac.OperatorPermissions.Permission;
import dev.logpipe.operator.rbac.OperatorPermissions.Scope;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * {@link OperatorPermissions} as the Helm chart grants it for one operator configuration: CLUSTER
 * rules in a ClusterRole; pipeline and Kafka rules in the ClusterRole when every namespace is
 * watched, else in a Role per listed namespace; operator-namespace rules in a Role there. A call is
 * granted when a rule of a role that applies where the call is made allows its verb.
 */
public final class TestingRbac {
  private final OperatorConfig config;

  public TestingRbac(OperatorConfig config) {
    this.config = config;
  }

  /** Whether the role holding {@code scope}'s rules applies to a call in {@code namespace}. */
  boolean covers(Scope scope, String namespace) {
    return switch (scope) {
      case CLUSTER -> true;
      case PIPELINE_NAMESPACES ->
          config.watchesAllNamespaces()
              || namespace != null && config.watchNamespaces().contains(namespace);
      case KAFKA_NAMESPACES ->
          config.watchesAllNamespaces()
              || namespace != null && config.kafkaNamespaces().contains(namespace);
      case OPERATOR_NAMESPACE -> config.operatorNamespace().equals(namespace);
    };
  }

  public boolean granted(ApiCall call) {
    return OperatorPermissions.ALL.stream().anyMatch(p -> allows(p, call))
        || OperatorPermissions.BY_DEFAULT.stream().anyMatch(p -> allows(p, call));
  }

  private boolean allows(Permission p, ApiCall call) {
    return p.apiGroup().equals(call.group())
        && p.resource().equals(call.resource())
        && p.verbs().contains(call.verb())
        && covers(p.scope(), call.namespace());
  }

  /** The calls no rule grants, one line each. */
  public List<String> ungranted(Collection<ApiCall> calls) {
    return calls.stream().filter(c -> !granted(c)).map(ApiCall::toString).sorted().toList();
  }

  /**
   * Every (permission, verb) of {@link OperatorPermissions#ALL} that none of {@code calls} used and
   * that {@link OperatorPermissions#NOT_EXERCISED} does not explain.
   */
  public List<String> unused(Collection<ApiCall> calls) {
    List<String> out = new ArrayList<>();
    for (Permission p : OperatorPermissions.ALL) {
      for (String verb : p.verbs()) {
        boolean used =
            calls.stream()
                .anyMatch(
                    c ->
                        allows(
                            new Permission(
                                p.apiGroup(), p.resource(), List.of(verb), p.scope(), ""),
                            c));
        boolean explained =
            OperatorPermissions.NOT_EXERCISED.stream()
                .anyMatch(
                    n ->
                        n.apiGroup().equals(p.apiGroup())
                            && n.resource().equals(p.resource())
                            && n.verb().equals(verb));
        if (!used && !explained) {
          out.add(
              verb
                  + " "
                  + (p.apiGroup().isEmpty() ? "core" : p.apiGroup())
                  + "/"
                  + p.resource()
                  + " ("
                  + p.scope()
                  + ")");
        }
      }
    }
    return out;
  }

  /** What a SelfSubjectRulesReview in {@code namespace} returns: one rule per permission. */
  public List<ResourceRule> rulesIn(String namespace) {
    List<ResourceRule> rules = new ArrayList<>();
    for (Permission p : OperatorPermissions.ALL) {
      if (covers(p.scope(), namespace)) {
        rules.add(
            new ResourceRuleBuilder()
                .withApiGroups(p.apiGroup())
                .withResources(p.resource())
                .withVerbs(p.verbs())
                .build());
      }
    }
    return rules;
  }

  /** Calls, as lines, for a failure message. */
  public static String describe(Collection<ApiCall> calls) {
    return String.join("\n", new TreeSet<>(calls.stream().map(Objects::toString).toList()));
  }
}
