package dev.logpipe.sandbox.topics;

import dev.logpipe.sandbox.KeyedBackoff;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.strimzi.api.kafka.model.common.Condition;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatus;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEV-ONLY stand-in for Strimzi's topic operator, used by the sandbox and nowhere else: watches
 * KafkaTopic resources (kafka.strimzi.io/v1, any namespace) and makes them real in the sandbox's
 * local Kafka, then reports them as Strimzi does: a Ready condition, observedGeneration and
 * topicName (and topicId) in the status. A deleted KafkaTopic deletes its topic. Not modelled:
 * finalizers, unmanaged topics, replica changes (one broker, replication factor 1).
 *
 * <p>It acts on spec changes only (its own status writes come back as update events) and retries a
 * topic it cannot create with exponential backoff (1 s doubling to 60 s), writing status only when
 * it changed, and stops when the KafkaTopic is gone: a topic with 0 partitions once made it write
 * status ~250 times a second, forever (issue 13, finding 3).
 */
public final class SandboxTopicController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxTopicController.class);

  private final KubernetesClient client;
  private final Admin admin;
  private final KafkaTopicSync sync;
  private final Clock clock;
  // One thread: syncs of the same topic never race, and the informer's thread never blocks.
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "sandbox-topic-controller"));
  private SharedIndexInformer<KafkaTopic> informer;
  // Touched only on the worker thread.
  private final KeyedBackoff backoff;
  static final long FIRST_RETRY_MS = 1_000;
  static final long MAX_RETRY_MS = 60_000;

  public SandboxTopicController(KubernetesClient client, String kafkaBootstrap, Clock clock) {
    this.client = client;
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "sandbox-topic-controller");
    this.admin = Admin.create(props);
    this.sync = new KafkaTopicSync(admin);
    this.clock = clock;
    this.backoff = new KeyedBackoff(worker, FIRST_RETRY_MS, MAX_RETRY_MS);
  }

  public SandboxTopicController start() {
    informer =
        client
            .resources(KafkaTopic.class)
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(KafkaTopic topic) {
                    worker.execute(() -> reconcile(Cache.metaNamespaceKeyFunc(topic), true));
                  }

                  @Override
                  public void onUpdate(KafkaTopic old, KafkaTopic topic) {
                    // Status writes (ours) and resyncs change no spec: the backoff timer retries.
                    if (specChanged(old, topic)) {
                      worker.execute(() -> reconcile(Cache.metaNamespaceKeyFunc(topic), true));
                    }
                  }

                  @Override
                  public void onDelete(KafkaTopic topic, boolean unknownFinalState) {
                    worker.execute(
                        () -> {
                          backoff.forget(Cache.metaNamespaceKeyFunc(topic));
                          delete(topic);
                        });
                  }
                },
                30_000);
    return this;
  }

  /** Whether a retry of namespace/name is pending (tests: the loop must stop with the topic). */
  boolean retrying(String key) throws Exception {
    return worker.submit(() -> backoff.pending(key)).get();
  }

  private static boolean specChanged(KafkaTopic old, KafkaTopic topic) {
    Long before = old.getMetadata().getGeneration();
    Long after = topic.getMetadata().getGeneration();
    if (before != null && after != null) {
      return !before.equals(after);
    }
    return !Objects.equals(old.getSpec(), topic.getSpec());
  }

  /** Syncs the KafkaTopic as it is now in the cache; a deleted one is forgotten. */
  private void reconcile(String key, boolean fresh) {
    if (fresh) {
      backoff.forget(key); // a spec change starts the backoff over
    } else {
      backoff.running(key);
    }
    KafkaTopic topic = informer.getStore().getByKey(key);
    if (topic == null) {
      backoff.forget(key);
      return;
    }
    if (reconcile(topic)) {
      backoff.succeeded(key);
      return;
    }
    backoff.failed(key, () -> reconcile(key, false));
  }

  /** True when the topic is as specified (or already reported Ready for this generation). */
  private boolean reconcile(KafkaTopic topic) {
    long generation =
        topic.getMetadata().getGeneration() == null ? 0 : topic.getMetadata().getGeneration();
    KafkaTopicStatus old = topic.getStatus();
    if (old != null && old.getObservedGeneration() == generation && isReady(old)) {
      return true;
    }
    String name = topicName(topic);
    int partitions = topic.getSpec().getPartitions() == null ? 1 : topic.getSpec().getPartitions();
    Map<String, Object> config =
        topic.getSpec().getConfig() == null ? Map.of() : topic.getSpec().getConfig();
    KafkaTopicSync.Result result = sync.sync(name, partitions, config);
    KafkaTopicStatus status = new KafkaTopicStatus();
    status.setObservedGeneration(generation);
    status.setTopicName(name);
    status.setTopicId(result.topicId());
    status.setConditions(List.of(condition(result, old)));
    if (status.equals(old)) {
      return result.ok(); // nothing new to say: no write, so no update event either
    }
    try {
      KafkaTopic patch = new KafkaTopic();
      // No resourceVersion: a status patch must not fail because the spec moved on meanwhile.
      patch.setMetadata(
          new ObjectMetaBuilder()
              .withName(topic.getMetadata().getName())
              .withNamespace(topic.getMetadata().getNamespace())
              .build());
      patch.setStatus(status);
      client.resources(KafkaTopic.class).resource(patch).patchStatus();
      LOG.info(
          "event=topic_synced namespace={} name={} topic={} partitions={} ready={}",
          topic.getMetadata().getNamespace(),
          topic.getMetadata().getName(),
          name,
          partitions,
          result.ok());
    } catch (RuntimeException e) {
      LOG.warn(
          "event=status_failed name={} error=\"{}\"",
          topic.getMetadata().getName(),
          e.getMessage());
    }
    return result.ok();
  }

  private Condition condition(KafkaTopicSync.Result result, KafkaTopicStatus old) {
    String status = result.ok() ? "True" : "False";
    String since = clock.instant().toString();
    if (old != null && old.getConditions() != null) {
      for (Condition c : old.getConditions()) {
        if ("Ready".equals(c.getType()) && status.equals(c.getStatus())) {
          since = c.getLastTransitionTime();
        }
      }
    }
    ConditionBuilder b =
        new ConditionBuilder().withType("Ready").withStatus(status).withLastTransitionTime(since);
    if (!result.ok()) {
      b.withReason("KafkaError").withMessage(result.problem());
    }
    return b.build();
  }

  private void delete(KafkaTopic topic) {
    try {
      sync.delete(topicName(topic));
      LOG.info("event=topic_deleted topic={}", topicName(topic));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("event=topic_delete_failed topic={} error=\"{}\"", topicName(topic), e.getMessage());
    }
  }

  private static boolean isReady(KafkaTopicStatus status) {
    return status.getConditions() != null
        && status.getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String topicName(KafkaTopic topic) {
    String name = topic.getSpec() == null ? null : topic.getSpec().getTopicName();
    return name == null ? topic.getMetadata().getName() : name;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    worker.shutdownNow();
    admin.close();
  }
}
