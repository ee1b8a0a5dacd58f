package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GatewayTokenSecretFactoryTest {
  private final ClusterLogBackend backend = TestingFixtures.backend();
  private final LogPipeline pipeline = TestingFixtures.pipeline("team-payments", "payments");
  private final PipelineNames names = PipelineNames.of(pipeline, backend);

  private static String token(Secret s) {
    return new String(
        Base64.getDecoder().decode(s.getData().get(GatewayTokenSecretFactory.KEY)),
        StandardCharsets.UTF_8);
  }

  @Test
  void newSecretHoldsA32ByteUrlSafeRandomToken() {
    GatewayTokenSecretFactory factory = new GatewayTokenSecretFactory();
    Secret s = factory.desired(names, null);

    assertThat(s.getMetadata().getName()).isEqualTo("payments-gateway-token");
    assertThat(s.getMetadata().getNamespace()).isEqualTo("team-payments");
    assertThat(s.getData()).containsOnlyKeys("token");
    String token = token(s);
    assertThat(token).matches("[A-Za-z0-9_-]{43}");
    assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
    assertThat(token(factory.desired(names, null))).isNotEqualTo(token);
  }

  @Test
  void existingTokenIsKeptAndNoNewOneIsMade() {
    AtomicInteger made = new AtomicInteger();
    GatewayTokenSecretFactory factory =
        new GatewayTokenSecretFactory(
            () -> {
              made.incrementAndGet();
              return "fresh";
            });
    String existingValue =
        Base64.getEncoder().encodeToString("kept-token".getBytes(StandardCharsets.UTF_8));
    Secret existing =
        new SecretBuilder()
            .withNewMetadata()
            .withName("payments-gateway-token")
            .endMetadata()
            .withData(Map.of("token", existingValue))
            .build();

    assertThat(token(factory.desired(names, existing))).isEqualTo("kept-token");
    assertThat(made).hasValue(0);
    assertThat(token(factory.desired(names, null))).isEqualTo("fresh");
  }

  @Test
  void tokenIsNeitherInTheConfigMapNorInTheDeployment() {
    pipeline.getSpec().getGateway().setEnabled(true);
    Secret tokenSecret = new GatewayTokenSecretFactory().desired(names, null);
    String token = token(tokenSecret);
    var config = PipelineConfigFactory.build(names, pipeline.getSpec(), backend.getSpec());
    ConfigMap cm = ConfigMapFactory.desired(names, config);
    var d =
        new GatewayDeploymentFactory(new WorkerImage("img", "IfNotPresent"))
            .desired(names, pipeline.getSpec(), config, null, tokenSecret);

    assertThat(cm.getData().values()).noneMatch(v -> v.contains(token));
    assertThat(d.toString()).doesNotContain(token);
  }
}
