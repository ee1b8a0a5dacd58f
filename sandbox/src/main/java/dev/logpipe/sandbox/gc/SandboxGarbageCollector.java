package dev.logpipe.sandbox.gc;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEV-ONLY stand-in for the garbage collector of kube-controller-manager, used by the sandbox and
 * nowhere else (the mock has none): every two seconds, namespaced objects of the kinds the operator
 * and the pod runner create whose owner (same namespace, by uid) is gone are deleted, like
 * background propagation. Deleting a LogPipeline thus removes its Deployments, and they their pods.
 * Owners in other namespaces or cluster-scoped owners are not looked at.
 */
public final class SandboxGarbageCollector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxGarbageCollector.class);
  private static final List<ResourceDefinitionContext> DEPENDENTS =
      List.of(
          kind("apps", "v1", "Deployment", "deployments"),
          kind("", "v1", "ConfigMap", "configmaps"),
          kind("", "v1", "Secret", "secrets"),
          kind("", "v1", "Service", "services"),
          kind("", "v1", "Pod", "pods"));

  private final KubernetesClient client;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "sandbox-gc"));

  public SandboxGarbageCollector(KubernetesClient client) {
    this.client = client;
  }

  public SandboxGarbageCollector start() {
    loop.scheduleWithFixedDelay(this::collect, 2, 2, TimeUnit.SECONDS);
    return this;
  }

  void collect() {
    try {
      for (ResourceDefinitionContext kind : DEPENDENTS) {
        for (GenericKubernetesResource object :
            client.genericKubernetesResources(kind).inAnyNamespace().list().getItems()) {
          List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
          if (owners != null
              && !owners.isEmpty()
              && owners.stream().noneMatch(o -> exists(object, o))) {
            LOG.info(
                "event=collected kind={} namespace={} name={}",
                kind.getKind(),
                object.getMetadata().getNamespace(),
                object.getMetadata().getName());
            client
                .genericKubernetesResources(kind)
                .inNamespace(object.getMetadata().getNamespace())
                .withName(object.getMetadata().getName())
                .delete();
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("event=gc_failed error=\"{}\"", e.toString());
    }
  }

  private boolean exists(HasMetadata dependent, OwnerReference owner) {
    String[] gv = owner.getApiVersion().split("/");
    String group = gv.length == 2 ? gv[0] : "";
    String version = gv[gv.length - 1];
    String plural = owner.getKind().toLowerCase(java.util.Locale.ROOT) + "s";
    ResourceDefinitionContext kind = kind(group, version, owner.getKind(), plural);
    try {
      GenericKubernetesResource found =
          client
              .genericKubernetesResources(kind)
              .inNamespace(dependent.getMetadata().getNamespace())
              .withName(owner.getName())
              .get();
      return found != null
          && (owner.getUid() == null
              || Objects.equals(owner.getUid(), found.getMetadata().getUid()));
    } catch (RuntimeException e) {
      return true; // unsure: keep it
    }
  }

  private static ResourceDefinitionContext kind(
      String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
