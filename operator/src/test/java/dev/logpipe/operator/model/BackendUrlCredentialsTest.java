package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.BackendRedis;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;

/**
 * Adversarial review of issue 14 ("the admin credentials never leave the operator's namespace"): a
 * careless platform admin writes the Redis admin password into the backend's URL, the form Redis
 * clients (lettuce included) document, instead of {@code credentialsSecret}. Either the CRD must
 * refuse that URL, or the pipeline's ConfigMap (readable with {@code view}, not only {@code edit},
 * in every tenant namespace) must not carry the password.
 */
class BackendUrlCredentialsTest {
  private static final String ADMIN_PASSWORD = "Adm1nS3cretOfTheSharedRedis";

  @Test
  void aRedisAdminPasswordInTheBackendUrlNeverReachesATenantConfigMap() throws Exception {
    String url = "redis://:" + ADMIN_PASSWORD + "@redis.redis:6379";
    String crdPattern =
        BackendRedis.class.getDeclaredField("url").getAnnotation(Pattern.class).value();
    if (!java.util.regex.Pattern.compile(crdPattern).matcher(url).find()) {
      return; // refused by the API server's schema check: never stored
    }
    ClusterLogBackend backend = TestingFixtures.backend();
    backend.getSpec().getRedis().setUrl(url);
    backend.getSpec().getRedis().setCredentialsSecret(null); // the password is in the URL
    LogPipeline pipeline = TestingFixtures.pipeline("team-a", "app");
    pipeline.getSpec().getCache().setEnabled(true);
    PipelineNames names = PipelineNames.of(pipeline, backend);

    String json;
    try {
      ConfigMap cm =
          ConfigMapFactory.desired(
              names, PipelineConfigFactory.build(names, pipeline.getSpec(), backend.getSpec()));
      json = cm.getData().get(ConfigMapFactory.CONFIG_KEY);
    } catch (InvalidPipelineException refused) {
      json = refused.getMessage(); // a refusal is fine, as long as it does not quote the password
    }
    assertThat(json)
        .as("team-a's ConfigMap (or the refusal) holds the shared Redis's admin password")
        .doesNotContain(ADMIN_PASSWORD);
  }
}
