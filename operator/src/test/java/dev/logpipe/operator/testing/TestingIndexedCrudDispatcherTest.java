package dev.logpipe.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The index answers named lookups exactly as the stock scan would, through every kind of write. */
class TestingIndexedCrudDispatcherTest {
  @Test
  void namedLookupsFollowCreateUpdatePatchApplyAndDelete() {
    try (TestingKubernetes kube = new TestingKubernetes()) {
      KubernetesClient client = kube.client();
      TestingIndexedCrudDispatcher index = kube.indexedDispatcher();
      for (String ns : new String[] {"a", "b"}) {
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
      }
      long[] before = index.lookups();
      client.configMaps().inNamespace("a").resource(configMap("a", "same", "1")).create();
      client.configMaps().inNamespace("b").resource(configMap("b", "same", "2")).create();

      // Same name in two namespaces: each GET finds its own.
      assertThat(client.configMaps().inNamespace("a").withName("same").get().getData())
          .containsEntry("v", "1");
      assertThat(client.configMaps().inNamespace("b").withName("same").get().getData())
          .containsEntry("v", "2");
      assertThat(client.configMaps().inNamespace("a").withName("missing").get()).isNull();

      // Update, JSON merge patch, server-side apply (through the apply wrapper), delete.
      client.configMaps().inNamespace("a").resource(configMap("a", "same", "3")).update();
      assertThat(client.configMaps().inNamespace("a").withName("same").get().getData())
          .containsEntry("v", "3");
      client
          .configMaps()
          .inNamespace("a")
          .withName("same")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"w\":\"x\"}}");
      assertThat(client.configMaps().inNamespace("a").withName("same").get().getData())
          .containsEntry("v", "3")
          .containsEntry("w", "x");
      client
          .configMaps()
          .inNamespace("b")
          .resource(configMap("b", "applied", "4"))
          .fieldManager("test")
          .forceConflicts()
          .serverSideApply();
      assertThat(client.configMaps().inNamespace("b").withName("applied").get().getData())
          .containsEntry("v", "4");
      client.configMaps().inNamespace("a").withName("same").delete();
      assertThat(client.configMaps().inNamespace("a").withName("same").get()).isNull();
      assertThat(client.configMaps().inNamespace("b").withName("same").get()).isNotNull();

      // Lists still come from the stock path and see the same objects.
      assertThat(client.configMaps().inNamespace("b").list().getItems())
          .extracting(c -> c.getMetadata().getName())
          .containsExactlyInAnyOrder("same", "applied");
      long[] after = index.lookups();
      assertThat(after[0] - before[0]).as("lookups answered by the index").isGreaterThan(5);
    }
  }

  private static ConfigMap configMap(String ns, String name, String value) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withData(Map.of("v", value))
        .build();
  }
}
