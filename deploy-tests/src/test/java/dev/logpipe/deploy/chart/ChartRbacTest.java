package dev.logpipe.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logpipe.operator.rbac.OperatorPermissions;
import dev.logpipe.operator.rbac.OperatorPermissions.Scope;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The chart grants exactly {@link OperatorPermissions}: every API call the operator makes, nothing
 * more, each at the scope the list names. A rule is compared as (apiGroup, resource, verb) triples
 * so the chart may group resources; there are no extras beyond the list.
 */
class ChartRbacTest {

  @Test
  void watchingAllNamespacesUsesOneClusterRoleAndARoleForTheOperatorNamespace() {
    Chart.Rendered rendered = Chart.render(Map.of());
    assertThat(rules(rendered.get("ClusterRole", Chart.FULLNAME)))
        .isEqualTo(expected(Scope.CLUSTER, Scope.PIPELINE_NAMESPACES, Scope.KAFKA_NAMESPACES));
    assertThat(rules(rendered.get("Role", Chart.NAMESPACE, Chart.FULLNAME)))
        .isEqualTo(expected(Scope.OPERATOR_NAMESPACE));
    assertThat(rendered.ofKind("Role")).hasSize(1);
    assertBoundToTheOperator(rendered.get("ClusterRoleBinding", Chart.FULLNAME), "ClusterRole");
    assertBoundToTheOperator(rendered.get("RoleBinding", Chart.NAMESPACE, Chart.FULLNAME), "Role");
  }

  @Test
  void aNamespaceListGetsRolesThereAndOnlyClusterScopedRulesClusterWide() {
    Chart.Rendered rendered =
        Chart.render(t -> t.withValuesFile(ChartValuesTest.CUSTOM.toAbsolutePath()));
    assertThat(rules(rendered.get("ClusterRole", Chart.FULLNAME)))
        .isEqualTo(expected(Scope.CLUSTER));
    assertThat(rules(rendered.get("Role", Chart.NAMESPACE, Chart.FULLNAME)))
        .isEqualTo(expected(Scope.OPERATOR_NAMESPACE));
    for (String ns : List.of("team-a", "team-b")) {
      assertThat(rules(rendered.get("Role", ns, Chart.FULLNAME + "-pipelines")))
          .as(ns)
          .isEqualTo(expected(Scope.PIPELINE_NAMESPACES));
      assertBoundToTheOperator(
          rendered.get("RoleBinding", ns, Chart.FULLNAME + "-pipelines"), "Role");
    }
    assertThat(rules(rendered.get("Role", "kafka", Chart.FULLNAME + "-kafka")))
        .isEqualTo(expected(Scope.KAFKA_NAMESPACES));
    assertBoundToTheOperator(
        rendered.get("RoleBinding", "kafka", Chart.FULLNAME + "-kafka"), "Role");
    assertThat(rendered.ofKind("Role")).hasSize(4);
  }

  @Test
  void rbacCanBeLeftToTheCluster() {
    Chart.Rendered rendered = Chart.render(Map.of("rbac.create", false));
    assertThat(rendered.ofKind("ClusterRole")).isEmpty();
    assertThat(rendered.ofKind("Role")).isEmpty();
  }

  @Test
  void permissionsListHasNoDuplicateGrants() {
    // Two entries for one (group, resource, scope) would make the chart comparison ambiguous.
    Set<String> seen = new TreeSet<>();
    for (OperatorPermissions.Permission p : OperatorPermissions.ALL) {
      assertThat(seen.add(p.scope() + " " + p.apiGroup() + "/" + p.resource()))
          .as("duplicate %s", p)
          .isTrue();
      assertThat(p.verbs()).isNotEmpty().doesNotHaveDuplicates().doesNotContain("*");
    }
  }

  private static void assertBoundToTheOperator(JsonNode binding, String roleKind) {
    assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo(roleKind);
    assertThat(binding.path("subjects").size()).isEqualTo(1);
    JsonNode subject = binding.path("subjects").get(0);
    assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
    assertThat(subject.path("name").asText()).isEqualTo(Chart.FULLNAME);
    assertThat(subject.path("namespace").asText()).isEqualTo(Chart.NAMESPACE);
  }

  static Set<String> expected(Scope... scopes) {
    Set<String> triples = new TreeSet<>();
    for (Scope scope : scopes) {
      for (OperatorPermissions.Permission p : OperatorPermissions.in(scope)) {
        p.verbs().forEach(v -> triples.add(triple(p.apiGroup(), p.resource(), v)));
      }
    }
    return triples;
  }

  static Set<String> rules(JsonNode role) {
    Set<String> triples = new TreeSet<>();
    for (JsonNode rule : role.path("rules")) {
      assertThat(rule.has("resourceNames") || rule.has("nonResourceURLs"))
          .as("rule %s", rule)
          .isFalse();
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          for (JsonNode verb : rule.path("verbs")) {
            triples.add(triple(group.asText(), resource.asText(), verb.asText()));
          }
        }
      }
    }
    return triples;
  }

  private static String triple(String group, String resource, String verb) {
    return (group.isEmpty() ? "core" : group) + " " + resource + " " + verb;
  }
}
