package dev.logpipe.deploy.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logpipe.deploy.Repo;
import dev.logpipe.deploy.Yaml;
import dev.logpipe.operator.status.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Argo CD health check (helm/logpipe-operator/argocd/health.lua) against status fixtures in
 * src/test/resources/argocd/health, each naming the health Argo CD must show. The LogPipeline
 * fixtures a pipeline passes through on its way to Ready, through crash-looping workers and a
 * gateway image that cannot be pulled, are written by operator WorkerCrashLoopIT from what the
 * operator reported; the others are hand-written and checked by {@link FixtureCheck}.
 */
class ArgoCdHealthTest {
  static final Path SCRIPT = Repo.CHART.resolve("argocd/health.lua");
  static final Path PATCH = Repo.CHART.resolve("argocd/argocd-cm-patch.yaml");
  static final List<String> KINDS = List.of("LogPipeline", "ClusterLogBackend");
  private static final Path FIXTURES = Path.of("src/test/resources/argocd/health");

  static Stream<Path> fixtures() throws IOException {
    return Files.list(FIXTURES).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void fixtureGetsItsExpectedHealth(Path fixture) {
    JsonNode doc = Yaml.one(Repo.read(fixture));
    JsonNode object = doc.path("object");
    assertThat(KINDS).contains(object.path("kind").asText());
    LuaHealth.Result result = LuaHealth.run(Repo.read(SCRIPT), object);
    assertThat(result.status()).isEqualTo(doc.path("expect").path("status").asText());
    assertThat(result.message()).contains(doc.path("expect").path("messageContains").asText());
  }

  /**
   * Hand-written or generated, a fixture holds only what the operator can write: condition types
   * and reasons from its enums, the pipeline's conditions on a pipeline and the backend's on a
   * backend, GatewayAvailable only with the gateway on (the operator removes it otherwise) and
   * Disabled only for a cache switched off.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void fixtureHoldsAStatusTheOperatorCanWrite(Path fixture) {
    assertThat(FixtureCheck.problems(Yaml.one(Repo.read(fixture)).path("object"))).isEmpty();
  }

  @Test
  void fixtureCheckCatchesAConditionTheOperatorDoesNotWrite() {
    JsonNode drifted =
        Yaml.one(
            """
            kind: LogPipeline
            status:
              conditions:
                - {type: Ready, status: "True", reason: Ready}
                - {type: GatewayAvailable, status: "True", reason: Disabled}
                - {type: WorkersAvailable, status: "False", reason: WorkersCrashLoop}
                - {type: KafkaReachable, status: "True", reason: Reachable}
            """);
    assertThat(FixtureCheck.problems(drifted))
        .containsExactly(
            "GatewayAvailable on a pipeline whose spec.gateway.enabled is not true",
            "reason Disabled on GatewayAvailable (only a switched-off cache is Disabled)",
            "reason WorkersCrashLoop is not a Reason",
            "condition KafkaReachable does not belong on a LogPipeline");
  }

  /**
   * A False condition makes the resource Degraded unless its reason says the operator is still at
   * it (Pending, StorageProvisioning, Deleting, KafkaUserPending: Strimzi has yet to write a user's
   * Secret, any *Progressing), which Argo CD shows as Progressing: a new reason of that kind must
   * be added to health.lua's transient table.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.EnumSource(Reason.class)
  void falseConditionsAreDegradedUnlessTheirReasonIsStillProgressing(Reason reason) {
    JsonNode pipeline =
        Yaml.one(
            """
            apiVersion: logpipe.dev/v1alpha1
            kind: LogPipeline
            metadata: {name: p, namespace: ns, generation: 1}
            status:
              observedGeneration: 1
              conditions:
                - {type: Ready, status: "False", reason: %1$s, message: m}
                - {type: WorkersAvailable, status: "False", reason: %1$s, message: m}
            """
                .formatted(reason.name()));
    boolean progressing =
        reason.name().endsWith("Progressing")
            || List.of(
                    Reason.Pending,
                    Reason.StorageProvisioning,
                    Reason.Deleting,
                    Reason.KafkaUserPending)
                .contains(reason);
    assertThat(LuaHealth.run(Repo.read(SCRIPT), pipeline).status())
        .isEqualTo(progressing ? "Progressing" : "Degraded");
  }

  @Test
  void fixturesCoverTheCasesArgoCdUsersHitFirst() throws IOException {
    List<String> names = fixtures().map(p -> p.getFileName().toString()).toList();
    assertThat(names)
        .contains(
            "logpipeline-crashlooping-workers.yaml",
            "logpipeline-gateway-image-pull-failed.yaml",
            "logpipeline-no-status.yaml",
            "logpipeline-stale-generation.yaml",
            "backend-no-status.yaml");
    JsonNode crashLoop =
        Yaml.one(Repo.read(FIXTURES.resolve("logpipeline-crashlooping-workers.yaml")));
    assertThat(crashLoop.path("expect").path("status").asText()).isEqualTo("Degraded");
  }

  @Test
  void scriptUsesOnlyWhatArgoCdsGopherLuaOffers() {
    assertThat(LuaSubset.violations(Repo.read(SCRIPT))).isEmpty();
  }

  @Test
  void subsetCheckCatchesWhatGopherLuaLacks() {
    assertThat(LuaSubset.violations("local n = #obj.status.conditions")).hasSize(1);
    assertThat(LuaSubset.violations("local m = string.format('%d', 1)")).hasSize(1);
    assertThat(LuaSubset.violations("local a, b = table.unpack(t)")).hasSize(1);
    assertThat(LuaSubset.violations("local a = unpack(t)")).hasSize(1);
    assertThat(LuaSubset.violations("if c.message:find('x') then end")).hasSize(1);
    assertThat(LuaSubset.violations("goto done")).hasSize(1);
    assertThat(LuaSubset.violations("local h = n // 2")).hasSize(1);
    // In comments and strings these are only text; '~=' is plain Lua 5.1.
    assertThat(
            LuaSubset.violations(
                "-- #items, string.format\nlocal s = \"a // b #c\"\nif a ~= b then end"))
        .isEmpty();
  }

  /**
   * argocd/argocd-cm-patch.yaml is generated from health.lua: {@code kubectl -n argocd patch
   * configmap argocd-cm --type merge --patch-file ...}. Refresh with -Dargocd.update=true.
   */
  @Test
  void argoCdConfigMapPatchCarriesTheCurrentScript() {
    StringBuilder patch =
        new StringBuilder()
            .append("# Generated from health.lua by deploy-tests ArgoCdHealthTest; do not edit.\n")
            .append("# kubectl -n argocd patch configmap argocd-cm --type merge --patch-file ")
            .append("helm/logpipe-operator/argocd/argocd-cm-patch.yaml\n")
            .append("data:\n");
    String script = Repo.read(SCRIPT).strip();
    for (String kind : KINDS) {
      patch.append("  resource.customizations.health.logpipe.dev_").append(kind).append(": |\n");
      script.lines().forEach(l -> patch.append(l.isEmpty() ? "" : "    " + l).append('\n'));
    }
    Repo.assertUpToDate(PATCH, patch.toString(), "argocd.update");
    JsonNode parsed = Yaml.one(Repo.read(PATCH));
    for (String kind : KINDS) {
      assertThat(
              parsed
                  .path("data")
                  .path("resource.customizations.health.logpipe.dev_" + kind)
                  .asText()
                  .strip())
          .isEqualTo(script);
    }
  }
}
