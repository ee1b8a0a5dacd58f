package dev.logpipe.operator.autoscale;

import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.api.v1alpha1.AutoscalingSpec;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.testing.ApiCall;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's autoscaler against real Kafka (the Kubernetes side is the fabric8 mock): a burst
 * with no consumer scales the workers up to the partition count within 30 s, committing the group
 * to the end (as workers would) brings them back to minReplicas after the scale-down window, with
 * one change per direction; a pipeline whose storage is down is not scaled up; an HPA on the worker
 * Deployment leaves replicas to it. Real worker pods are not run here (the mock has no kubelet; see
 * README "not yet").
 */
@WithDevServices({DevServices.Kind.KAFKA, DevServices.Kind.CLICKHOUSE})
class AutoscalingIT {
  private static final String NS = "team-scale";
  private static final int PARTITIONS = 6;
  private static final int DOWN_WINDOW_SECONDS = 20;
  private static DevServices services;
  private static SimpleMeterRegistry registry;
  private static TestingLogpipe env;
  private static Admin admin;

  @BeforeAll
  static void start(DevServices devServices) {
    services = devServices;
    registry = new SimpleMeterRegistry();
    env = new TestingLogpipe(registry, 4);
    env.namespace(NS, true);
    env.clickHouseSecret(services);
    kafkaBackend(env.backend("default", services.clickHouseUrl(), "clickhouse-admin", null));
    // Nothing listens on port 9: StorageReady turns False (ClickHouseUnreachable).
    kafkaBackend(env.backend("no-clickhouse", "http://127.0.0.1:9", "clickhouse-admin", null));
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrap());
    admin = Admin.create(props);
  }

  private static void kafkaBackend(ClusterLogBackend backend) {
    env.client()
        .resources(ClusterLogBackend.class)
        .withName(backend.getMetadata().getName())
        .edit(
            b -> {
              b.getSpec().getKafka().setBootstrapServers(services.kafkaBootstrap());
              return b;
            });
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
    if (admin != null) {
      admin.close();
    }
  }

  @Test
  void aBurstScalesUpToThePartitionsAndCommittingBringsItBackAfterTheWindow() throws Exception {
    String name = "burst";
    String topic = topic(name);
    pipeline(name, "default", 1, 6);
    awaitStorage(name, "True");
    List<Integer> replicas = new CopyOnWriteArrayList<>();
    try (Watch watch = watchReplicas(name + "-worker", replicas)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> workerReplicas(name) == 1);

      produce(topic, 60_000);
      Instant burst = Instant.now();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(workerReplicas(name)).isEqualTo(PARTITIONS);
                var workers = env.get(NS, name).getStatus().getWorkers();
                assertThat(workers.getDesired()).isEqualTo(PARTITIONS);
                assertThat(workers.getLagRecords()).isEqualTo(60_000L);
                assertThat(workers.getLastScaleReason()).contains("scaled up from 1 to 6");
                assertThat(condition(env.get(NS, name), "Autoscaling").getReason())
                    .isEqualTo("AutoscalingActive");
              });
      System.out.println(
          "scale-up after " + Duration.between(burst, Instant.now()).toMillis() + " ms");
      assertThat(gauge("logpipe.pipeline.lag.records", name)).isEqualTo(60_000);
      assertThat(gauge("logpipe.pipeline.desired.replicas", name)).isEqualTo(PARTITIONS);
      assertThat(gauge("logpipe.pipeline.lag.seconds", name)).isGreaterThanOrEqualTo(0);

      commitToEnd(topic);
      Instant committed = Instant.now();
      await()
          .atMost(Duration.ofSeconds(DOWN_WINDOW_SECONDS + 30))
          .untilAsserted(
              () -> {
                assertThat(workerReplicas(name)).isEqualTo(1);
                var workers = env.get(NS, name).getStatus().getWorkers();
                assertThat(workers.getLagRecords()).isZero();
                assertThat(workers.getLastScaleReason()).contains("scaled down from 6 to 1");
              });
      long downAfter = Duration.between(committed, Instant.now()).toSeconds();
      System.out.println("scale-down " + downAfter + " s after the commit");
      // The last high measurement was at most one period before the commit.
      assertThat(downAfter)
          .isGreaterThanOrEqualTo(DOWN_WINDOW_SECONDS - Autoscaler.PERIOD.toSeconds());
      // Flapping after the scale-down is SandboxAutoscalingIT's to catch (real workers, and the
      // changes counted over the whole run); ScaleDecisionTest covers the rule.
    }
    System.out.println("worker replicas seen: " + replicas);
    assertThat(replicas).allMatch(r -> r <= PARTITIONS);
    assertThat(changes(replicas, true)).isBetween(1, 2);
    assertThat(changes(replicas, false)).isBetween(1, 2);
  }

  @Test
  void noScaleUpWhileStorageIsDown() throws Exception {
    String name = "held";
    String topic = topic(name);
    pipeline(name, "no-clickhouse", 1, 6);
    awaitStorage(name, "False");
    // A ClickHouse that never answered also leaves the table's owner unchecked, so the storage
    // gate holds a new worker Deployment at 0: either way, never above minReplicas.
    await().atMost(Duration.ofSeconds(20)).until(() -> workerReplicas(name) >= 0);
    assertThat(workerReplicas(name)).isLessThanOrEqualTo(1);

    produce(topic, 60_000);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var c = condition(env.get(NS, name), "Autoscaling");
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("ScaleUpHeld");
              assertThat(c.getMessage())
                  .contains("asks for 6 workers", "storage is unavailable", "kept at");
            });
    await()
        .during(Duration.ofSeconds(Autoscaler.PERIOD.toSeconds() + 2))
        .atMost(Duration.ofSeconds(Autoscaler.PERIOD.toSeconds() + 8))
        .until(() -> workerReplicas(name) <= 1);
    assertThat(env.get(NS, name).getStatus().getWorkers().getLagRecords()).isEqualTo(60_000L);
  }

  @Test
  void anHpaOnTheWorkerDeploymentTakesOverReplicas() throws Exception {
    String name = "by-hpa";
    String topic = topic(name);
    env.client()
        .resource(
            new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                .withName("user-hpa")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withMinReplicas(1)
                .withMaxReplicas(3)
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName(name + "-worker")
                .endScaleTargetRef()
                .endSpec()
                .build())
        .create();
    pipeline(name, "default", 1, 6);
    awaitStorage(name, "True");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var c = condition(env.get(NS, name), "Autoscaling");
              assertThat(c.getReason()).isEqualTo("ExternalAutoscaler");
              assertThat(c.getMessage())
                  .contains("HorizontalPodAutoscaler user-hpa", "leaves its replicas alone");
            });
    // The HPA sets 3; the operator no longer writes replicas, even with a burst waiting.
    Deployment d =
        env.client().apps().deployments().inNamespace(NS).withName(name + "-worker").get();
    d.getSpec().setReplicas(3);
    env.client().resource(d).update();
    produce(topic, 60_000);
    await()
        .during(Duration.ofSeconds(Autoscaler.PERIOD.toSeconds() + 2))
        .atMost(Duration.ofSeconds(Autoscaler.PERIOD.toSeconds() + 8))
        .until(() -> workerReplicas(name) == 3);
    env.edit(NS, name, s -> s.getStorage().setRetentionDays(7)); // forces a reconcile now
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(env.get(NS, name).getStatus().getWorkers().getCurrent()).isEqualTo(3));
    assertThat(workerReplicas(name)).isEqualTo(3);
    assertThat(env.operatorCalls().keySet())
        .extracting(ApiCall::resource)
        .contains("horizontalpodautoscalers", "scaledobjects");
  }

  private static void pipeline(String name, String backend, int min, int max) {
    env.pipeline(
        NS,
        name,
        s -> {
          s.setBackend(backend);
          s.getTopic().setPartitions(PARTITIONS);
          s.getCache().setEnabled(false);
          AutoscalingSpec a = new AutoscalingSpec();
          a.setMinReplicas(min);
          a.setMaxReplicas(max);
          a.setTargetLagRecordsPerReplica(1_000L);
          a.setScaleDownStabilizationSeconds(DOWN_WINDOW_SECONDS);
          s.getWorkers().setAutoscaling(a);
        });
  }

  private static void awaitStorage(String name, String status) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              LogPipeline p = env.get(NS, name);
              assertThat(isTrue(p, "Accepted")).isTrue();
              assertThat(condition(p, "StorageReady").getStatus()).isEqualTo(status);
            });
  }

  private static String topic(String name) throws Exception {
    String topic = "logpipe." + NS + "." + name;
    admin
        .createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
        .all()
        .get(20, TimeUnit.SECONDS);
    return topic;
  }

  private static void produce(String topic, int records) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrap());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    try (var producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      byte[] value = "{\"msg\":\"burst\",\"level\":\"INFO\"}".getBytes();
      for (int i = 0; i < records; i++) {
        producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, value));
      }
      producer.flush();
    }
  }

  /** What a worker does after storing: commit the group's offsets, here straight to the end. */
  private static void commitToEnd(String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    admin
        .listOffsets(latest)
        .all()
        .get(20, TimeUnit.SECONDS)
        .forEach((tp, info) -> offsets.put(tp, new OffsetAndMetadata(info.offset())));
    // The pipeline's group id is its topic name (PipelineNames).
    admin.alterConsumerGroupOffsets(topic, offsets).all().get(20, TimeUnit.SECONDS);
  }

  private static int workerReplicas(String name) {
    Deployment d =
        env.client().apps().deployments().inNamespace(NS).withName(name + "-worker").get();
    return d == null || d.getSpec().getReplicas() == null ? -1 : d.getSpec().getReplicas();
  }

  private static Watch watchReplicas(String deployment, List<Integer> seen) {
    return env.client()
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName(deployment)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Deployment d) {
                Integer r = d.getSpec().getReplicas();
                if (r != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(r))) {
                  seen.add(r);
                }
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  private static int changes(List<Integer> seen, boolean up) {
    List<Integer> copy = new ArrayList<>(seen);
    int n = 0;
    for (int i = 1; i < copy.size(); i++) {
      if (up ? copy.get(i) > copy.get(i - 1) : copy.get(i) < copy.get(i - 1)) {
        n++;
      }
    }
    return n;
  }

  private static double gauge(String metric, String pipeline) {
    Gauge g = registry.find(metric).tags("namespace", NS, "pipeline", pipeline).gauge();
    assertThat(g).as(metric).isNotNull();
    return g.value();
  }
}
