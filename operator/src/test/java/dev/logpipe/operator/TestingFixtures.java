package dev.logpipe.operator;

import dev.logpipe.operator.api.v1alpha1.BackendClickHouse;
import dev.logpipe.operator.api.v1alpha1.BackendKafka;
import dev.logpipe.operator.api.v1alpha1.BackendKafkaAuthentication;
import dev.logpipe.operator.api.v1alpha1.BackendRedis;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackendSpec;
import dev.logpipe.operator.api.v1alpha1.KafkaAuthenticationType;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.api.v1alpha1.LogPipelineSpec;
import dev.logpipe.operator.api.v1alpha1.SecretCredentialsRef;
import dev.logpipe.operator.api.v1alpha1.StrimziClusterRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** Spec fixtures built in code, shaped like the DESIGN.md example. */
public final class TestingFixtures {
  private TestingFixtures() {}

  public static ClusterLogBackend backend() {
    StrimziClusterRef cluster = new StrimziClusterRef();
    cluster.setName("logs");
    cluster.setNamespace("kafka");
    BackendKafka kafka = new BackendKafka();
    kafka.setBootstrapServers("logs-kafka-bootstrap.kafka:9092");
    kafka.setStrimziCluster(cluster);
    BackendClickHouse clickhouse = new BackendClickHouse();
    clickhouse.setUrl("http://clickhouse.clickhouse:8123");
    clickhouse.setCredentialsSecret(secretRef("clickhouse-admin"));
    BackendRedis redis = new BackendRedis();
    redis.setUrl("redis://redis.redis:6379");
    redis.setCredentialsSecret(secretRef("redis-admin"));
    ClusterLogBackendSpec spec = new ClusterLogBackendSpec();
    spec.setKafka(kafka);
    spec.setClickhouse(clickhouse);
    spec.setRedis(redis);
    ClusterLogBackend backend = new ClusterLogBackend();
    backend.setMetadata(new ObjectMetaBuilder().withName("default").build());
    backend.setSpec(spec);
    return backend;
  }

  /**
   * Turns on per-pipeline SCRAM users on the listener {@code bootstrap}; returns {@code backend}.
   */
  public static ClusterLogBackend scram(ClusterLogBackend backend, String bootstrap) {
    BackendKafkaAuthentication auth = new BackendKafkaAuthentication();
    auth.setType(KafkaAuthenticationType.SCRAM_SHA_512);
    auth.setBootstrapServers(bootstrap);
    backend.getSpec().getKafka().setAuthentication(auth);
    return backend;
  }

  public static LogPipeline pipeline(String namespace, String name) {
    LogPipeline pipeline = new LogPipeline();
    pipeline.setMetadata(
        new ObjectMetaBuilder().withNamespace(namespace).withName(name).withGeneration(1L).build());
    pipeline.setSpec(new LogPipelineSpec());
    return pipeline;
  }

  private static SecretCredentialsRef secretRef(String name) {
    SecretCredentialsRef ref = new SecretCredentialsRef();
    ref.setName(name);
    ref.setNamespace("logpipe-system");
    return ref;
  }
}
