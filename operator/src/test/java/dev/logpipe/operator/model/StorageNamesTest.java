package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.worker.config.LogTableSchema;
import dev.logpipe.worker.config.SqlIdentifiers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageNamesTest {
  /** The collision found in the sandbox: a second backend's prefix plus a namespace. */
  @Test
  void aLongerPrefixCannotReachAnotherNamespacesDatabase() {
    String tenantA = PipelineNames.of("team-a", "x-y", "logs_").database();
    String tenantB = PipelineNames.of("a", "x-y", "logs_team_").database();

    assertThat(tenantA).isEqualTo("logs_team_a");
    assertThat(tenantB).isNotEqualTo(tenantA).startsWith("logs_team_a__").hasSize(21);
  }

  @Test
  void plainNamesOfEarlierVersionsStayWhereTheyAreUnambiguous() {
    assertThat(PipelineNames.of("team-payments", "payments", "logs_").database())
        .isEqualTo("logs_team_payments");
    assertThat(PipelineNames.of("prod", "payments", "tenant_").database()).isEqualTo("tenant_prod");
    assertThat(PipelineNames.of("team-a", "x-y", "logs_").table()).isEqualTo("x_y");
    assertThat(PipelineNames.of("team-a", "1st", "logs_").table()).isEqualTo("_1st");
  }

  @Test
  void aPipelineCannotNameAnotherPipelinesDerivedObjects() {
    PipelineNames base = PipelineNames.of("team-a", "x", "logs_");
    for (String suffix : List.of("ledger", "offsets", "stats", "stats-v")) {
      String table = PipelineNames.of("team-a", "x-" + suffix, "logs_").table();
      assertThat(LogTableSchema.derivedObjects(base.table())).doesNotContain(table);
      assertThat(table).startsWith("x_" + suffix.replace('-', '_') + "__");
    }
    // "--" would read as the hash mark: hashed too, so it cannot forge a hashed name.
    assertThat(PipelineNames.of("team-a", "a--b", "logs_").table()).startsWith("a__b__");
  }

  /**
   * Every pair of (prefix, namespace) from an adversarial set (prefixes that extend each other,
   * namespaces that fill the gap, "--", digits, maximal lengths) and every name gives distinct
   * objects: no table or derived object is shared.
   */
  @Test
  void noTwoPipelinesShareAnyObjectOnOneServer() {
    List<String> prefixes =
        List.of(
            "logs_",
            "logs_team_",
            "logs",
            "",
            "l_",
            "logs__",
            "logs_t",
            "a_b_",
            "x".repeat(19) + "_");
    List<String> namespaces =
        List.of(
            "team-a",
            "a",
            "team",
            "t-a",
            "eam-a",
            "team-a-1",
            "a--b",
            "a-b",
            "9lives",
            "x",
            "n".repeat(63),
            "n".repeat(62) + "1",
            "team-a-x");
    List<String> names =
        List.of(
            "x-y",
            "x",
            "x-y-offsets",
            "x-offsets",
            "x-stats",
            "x-stats-v",
            "1st",
            "a--b",
            "a-b",
            "p".repeat(63),
            "p".repeat(62) + "q");
    Map<String, String> owners = new HashMap<>();
    List<String> clashes = new ArrayList<>();
    for (String prefix : prefixes) {
      for (String ns : namespaces) {
        for (String name : names) {
          PipelineNames n = PipelineNames.of(ns, name, prefix);
          String who = prefix + "|" + ns + "/" + name;
          List<String> objects = new ArrayList<>(LogTableSchema.derivedObjects(n.table()));
          objects.add(n.table());
          for (String object : objects) {
            assertThat(SqlIdentifiers.isValid(object)).as(object).isTrue();
            assertThat(SqlIdentifiers.isValid(n.database())).as(n.database()).isTrue();
            String previous = owners.put(n.database() + "." + object, who);
            if (previous != null) {
              clashes.add(n.database() + "." + object + ": " + previous + " and " + who);
            }
          }
        }
      }
    }
    assertThat(clashes).isEmpty();
  }

  /**
   * Forged names (found by an adversarial review): a long namespace or name is cut to {@code
   * <head>-<8 hex of SHA-256>}, and a shorter Kubernetes name can be exactly that text; the
   * attacker only computes SHA-256 of the victim's (public) namespace name.
   */
  @Test
  void aNamespaceOf58CharactersCannotForgeTheDatabaseOfA63CharacterNamespace() {
    String victimNamespace = "payments-production-eu-west-1-cluster-blue-team-a-billing-cores";
    assertThat(victimNamespace).hasSize(63);
    String forged = victimNamespace.substring(0, 49) + "-" + sha8(victimNamespace);
    assertThat(forged).hasSize(58).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    String victim = PipelineNames.of(victimNamespace, "payments", "logs_").database();
    String attacker = PipelineNames.of(forged, "payments", "logs_").database();

    assertThat(attacker).isNotEqualTo(victim).contains("__");
    // The long namespace keeps the name earlier versions gave it (no table moves).
    assertThat(victim)
        .isEqualTo("logs_" + forged.replace('-', '_'))
        .doesNotContain("__")
        .hasSize(63);
  }

  @Test
  void aNameOf54CharactersCannotForgeTheTableOfALongerName() {
    String longName = "checkout-service-access-logs-from-the-edge-proxies-in-eu-west";
    String forged = longName.substring(0, 45) + "-" + sha8(longName);
    assertThat(forged).hasSize(54);

    String victim = PipelineNames.of("team-a", longName, "logs_").table();
    assertThat(PipelineNames.of("team-a", forged, "logs_").table())
        .isNotEqualTo(victim)
        .contains("__");
    assertThat(victim).isEqualTo(forged.replace('-', '_'));
  }

  private static String sha8(String value) {
    return PipelineNames.sha256(value).substring(0, 8);
  }
}
