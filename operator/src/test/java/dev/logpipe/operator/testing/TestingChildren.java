package dev.logpipe.operator.testing;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Plays the cluster components the mock lacks: Strimzi's topic and user operators (KafkaTopic
 * status Ready; KafkaUser Secrets and status) and the Deployment controller with its kubelets
 * (replicas ready and available, pods and their container statuses).
 */
public final class TestingChildren {
  private final KubernetesClient client;
  // On a real API server the Deployment controller owns Deployment status; the node agent reports
  // pods Ready (or holds some back), which is what the controller counts. Null on the mock.
  private final TestingNodeAgent nodeAgent;
  private final boolean real;

  TestingChildren(KubernetesClient client, TestingNodeAgent nodeAgent) {
    this.client = client;
    this.nodeAgent = nodeAgent;
    this.real = nodeAgent != null;
  }

  /** Marks every KafkaTopic in {@code namespace} not yet Ready as Ready; returns how many. */
  public int markTopicsReady(String namespace) {
    int changed = 0;
    for (KafkaTopic topic :
        client.resources(KafkaTopic.class).inNamespace(namespace).list().getItems()) {
      boolean ready =
          topic.getStatus() != null
              && topic.getStatus().getObservedGeneration() >= topic.getMetadata().getGeneration()
              && KafkaTopic.isReady().test(topic);
      if (!ready) {
        topic.setStatus(
            new KafkaTopicStatusBuilder()
                .withObservedGeneration(topic.getMetadata().getGeneration())
                .withTopicName(topic.getSpec().getTopicName())
                .withConditions(new ConditionBuilder().withType("Ready").withStatus("True").build())
                .build());
        client.resource(topic).updateStatus();
        changed++;
      }
    }
    return changed;
  }

  /**
   * Plays Strimzi's User Operator for every KafkaUser in {@code namespace} not yet Ready: writes
   * the user's Secret as Strimzi does (named like the KafkaUser, owned by it, keys {@code password}
   * and {@code sasl.jaas.config}, label {@code strimzi.io/kind=KafkaUser}) with the password {@code
   * pw-<user>} (distinct per user, known to the test), then reports Ready. A Ready user whose
   * Secret was deleted gets it back with a new password, {@code pw-<user>-r<n>} for its n-th
   * renewal, as Strimzi's User Operator generates one then. Returns how many it wrote.
   */
  private final Map<String, Integer> renewals = new java.util.concurrent.ConcurrentHashMap<>();

  public int markUsersReady(String namespace) {
    int changed = 0;
    for (KafkaUser user :
        client.resources(KafkaUser.class).inNamespace(namespace).list().getItems()) {
      boolean ready =
          user.getStatus() != null
              && user.getStatus().getObservedGeneration() >= user.getMetadata().getGeneration();
      String name = user.getMetadata().getName();
      boolean secret = client.secrets().inNamespace(namespace).withName(name).get() != null;
      if (ready && secret) {
        continue;
      }
      // A Ready user whose Secret was deleted gets a new password, as Strimzi generates one.
      String password =
          ready ? "pw-" + name + "-r" + renewals.merge(name, 1, Integer::sum) : "pw-" + name;
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .withLabels(Map.of("strimzi.io/kind", "KafkaUser", "strimzi.io/cluster", "logs"))
                  .withOwnerReferences(
                      new OwnerReferenceBuilder()
                          .withApiVersion(user.getApiVersion())
                          .withKind("KafkaUser")
                          .withName(name)
                          .withUid(user.getMetadata().getUid())
                          .withController(true)
                          .build())
                  .endMetadata()
                  .withData(
                      Map.of(
                          "password", base64(password),
                          "sasl.jaas.config",
                              base64(
                                  "org.apache.kafka.common.security.scram.ScramLoginModule"
                                      + " required username=\""
                                      + name
                                      + "\" password=\""
                                      + password
                                      + "\";")))
                  .build())
          .createOr(existing -> existing.update());
      KafkaUserStatus status = new KafkaUserStatus();
      status.setObservedGeneration(user.getMetadata().getGeneration());
      status.setUsername(name);
      status.setSecret(name);
      status.setConditions(
          java.util.List.of(new ConditionBuilder().withType("Ready").withStatus("True").build()));
      user.setStatus(status);
      client.resource(user).updateStatus();
      changed++;
    }
    return changed;
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Marks every Deployment in {@code namespace} whose status lags its spec as fully available. */
  public int markDeploymentsAvailable(String namespace) {
    if (real) {
      return nodeAgent.release(namespace);
    }
    return markAvailable(client.apps().deployments().inNamespace(namespace).list().getItems());
  }

  /** As {@link #markDeploymentsAvailable} for every namespace at once (one list request). */
  public int markAllDeploymentsAvailable() {
    return markAvailable(client.apps().deployments().inAnyNamespace().list().getItems());
  }

  private int markAvailable(java.util.List<Deployment> deployments) {
    if (real) {
      return 0;
    }
    int changed = 0;
    for (Deployment d : deployments) {
      int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      var s = d.getStatus();
      boolean current =
          s != null
              && s.getObservedGeneration() != null
              && s.getObservedGeneration() >= d.getMetadata().getGeneration()
              && s.getAvailableReplicas() != null
              && s.getAvailableReplicas() == replicas;
      if (!current) {
        setReplicas(d, replicas, replicas);
        changed++;
      }
    }
    return changed;
  }

  /**
   * Creates (or replaces) a pod of {@code deployment} as its ReplicaSet would, with the template's
   * labels and spec, and the container status the kubelet would report.
   */
  public Pod pod(Deployment deployment, String name, ContainerStatus status) {
    var template = deployment.getSpec().getTemplate();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(deployment.getMetadata().getNamespace())
            .withLabels(template.getMetadata().getLabels())
            .endMetadata()
            .withSpec(template.getSpec())
            .build();
    client.resource(pod).createOr(existing -> existing.update());
    return podStatus(deployment.getMetadata().getNamespace(), name, status);
  }

  /** Sets one pod's phase and container status as the kubelet would. */
  public Pod podStatus(String namespace, String name, ContainerStatus status) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    pod.setStatus(
        new PodStatusBuilder().withPhase("Running").withContainerStatuses(status).build());
    return client.resource(pod).updateStatus();
  }

  /** Sets the Deployment's status as the Deployment controller would after a rollout. */
  public void setReplicas(Deployment d, int replicas, int ready) {
    if (real) {
      // the Deployment controller counts replicas itself: only readiness is the kubelet's to say
      nodeAgent.limitReady(d, ready);
      return;
    }
    d.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .build());
    client.resource(d).updateStatus();
  }
}
