package dev.logpipe.sandbox.pods;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors sandbox pods as Pod objects in the API so {@code kubectl get pods} shows them, with the
 * local PID, port and log file as annotations. Failures are logged and ignored: the objects are
 * only a view.
 */
final class PodObjects {
  static final String PID = "sandbox.logpipe.dev/pid";
  static final String PORT = "sandbox.logpipe.dev/port";
  static final String LOG_FILE = "sandbox.logpipe.dev/log";
  private static final Logger LOG = LoggerFactory.getLogger(PodObjects.class);

  private final KubernetesClient client;

  PodObjects(KubernetesClient client) {
    this.client = client;
  }

  void write(Deployment deployment, PodProcess pod) {
    Map<String, String> labels = new LinkedHashMap<>();
    var template = deployment.getSpec().getTemplate();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.put("pod-template-hash", pod.templateHash());
    String container = template.getSpec().getContainers().get(0).getName();
    Pod object =
        new PodBuilder()
            .withNewMetadata()
            .withName(pod.name())
            .withNamespace(deployment.getMetadata().getNamespace())
            .withLabels(labels)
            .withAnnotations(
                Map.of(
                    PID, String.valueOf(pod.pid()),
                    PORT, String.valueOf(pod.port()),
                    LOG_FILE, pod.logFile().toString()))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("apps/v1")
                    .withKind("Deployment")
                    .withName(deployment.getMetadata().getName())
                    .withUid(deployment.getMetadata().getUid())
                    .withController(true)
                    .build())
            .endMetadata()
            .withSpec(template.getSpec())
            .withNewStatus()
            .withPhase("Running")
            .withPodIP("127.0.0.1")
            .withHostIP("127.0.0.1")
            .withStartTime(pod.started().toString())
            .withConditions(
                new PodConditionBuilder()
                    .withType("Ready")
                    .withStatus(pod.ready() ? "True" : "False")
                    .build())
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName(container)
                    .withReady(pod.ready())
                    .withStarted(true)
                    .withRestartCount(0)
                    .withImage(template.getSpec().getContainers().get(0).getImage())
                    .build())
            .endStatus()
            .build();
    try {
      client.pods().resource(object).serverSideApply();
    } catch (RuntimeException e) {
      LOG.debug("event=pod_object_failed pod={} error=\"{}\"", pod.name(), e.getMessage());
    }
  }

  void delete(String namespace, String name) {
    try {
      client.pods().inNamespace(namespace).withName(name).delete();
    } catch (RuntimeException e) {
      LOG.debug("event=pod_object_delete_failed pod={} error=\"{}\"", name, e.getMessage());
    }
  }
}
