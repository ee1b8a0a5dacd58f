package dev.logpipe.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.Test;

class KafkaUserSecretsTest {
  @Test
  void mapsAUserSecretToItsPipelineAndIgnoresEveryOtherName() {
    assertThat(KafkaUserSecrets.pipelineOf("logpipe.team-a.orders.worker"))
        .containsExactly(new ResourceID("orders", "team-a"));
    assertThat(KafkaUserSecrets.pipelineOf("logpipe.team-a.orders.gateway"))
        .containsExactly(new ResourceID("orders", "team-a"));
    assertThat(KafkaUserSecrets.pipelineOf("logpipe.team-a.orders")).isEmpty();
    assertThat(KafkaUserSecrets.pipelineOf("logpipe.a.b.c.worker")).isEmpty();
    assertThat(KafkaUserSecrets.pipelineOf("logpipe..orders.worker")).isEmpty();
    assertThat(KafkaUserSecrets.pipelineOf("my-app-user")).isEmpty();
    assertThat(KafkaUserSecrets.pipelineOf("logs-cluster-ca-cert")).isEmpty();
  }
}
