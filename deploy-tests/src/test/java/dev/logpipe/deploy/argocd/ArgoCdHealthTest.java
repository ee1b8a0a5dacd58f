package dev.logpipe.deploy.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logpipe.deploy.Repo;
import dev.logpipe.deploy.Yaml;
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
 * src/test/resources/argocd/health, each naming the health Argo CD must show.
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

  @Test
  void fixturesCoverTheCasesArgoCdUsersHitFirst() throws IOException {
    List<String> names = fixtures().map(p -> p.getFileName().toString()).toList();
    assertThat(names)
        .contains(
            "logpipeline-crashlooping-workers.yaml",
            "logpipeline-no-status.yaml",
            "logpipeline-stale-generation.yaml",
            "backend-no-status.yaml");
    JsonNode crashLoop =
        Yaml.one(Repo.read(FIXTURES.resolve("logpipeline-crashlooping-workers.yaml")));
    assertThat(crashLoop.path("expect").path("status").asText()).isNotEqualTo("Healthy");
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
