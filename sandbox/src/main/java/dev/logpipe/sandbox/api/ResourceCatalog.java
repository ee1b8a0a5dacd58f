package dev.logpipe.sandbox.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The kinds the sandbox serves: the built-in ones the operator, the stand-ins and kubectl touch,
 * plus every served version of every CRD in the store (read on each call, so a CRD created through
 * the API appears in discovery at once).
 */
public final class ResourceCatalog {
  private static final PrinterColumn AGE =
      new PrinterColumn("Age", "date", ".metadata.creationTimestamp", 0, "");

  static final List<ResourceType> BUILT_IN =
      List.of(
          ResourceType.builtIn(
              "",
              "Namespace",
              "namespaces",
              false,
              true,
              List.of("ns"),
              List.of(new PrinterColumn("Status", "string", ".status.phase", 0, ""), AGE)),
          ResourceType.builtIn(
              "", "ConfigMap", "configmaps", true, false, List.of("cm"), List.of(AGE)),
          ResourceType.builtIn(
              "",
              "Secret",
              "secrets",
              true,
              false,
              List.of(),
              List.of(new PrinterColumn("Type", "string", ".type", 0, ""), AGE)),
          ResourceType.builtIn(
              "",
              "Service",
              "services",
              true,
              true,
              List.of("svc"),
              List.of(new PrinterColumn("Cluster-IP", "string", ".spec.clusterIP", 0, ""), AGE)),
          ResourceType.builtIn(
              "",
              "Pod",
              "pods",
              true,
              true,
              List.of("po"),
              List.of(new PrinterColumn("Status", "string", ".status.phase", 0, ""), AGE)),
          ResourceType.builtIn(
              "",
              "Event",
              "events",
              true,
              false,
              List.of("ev"),
              List.of(
                  new PrinterColumn("Type", "string", ".type", 0, ""),
                  new PrinterColumn("Reason", "string", ".reason", 0, ""),
                  new PrinterColumn("Message", "string", ".message", 0, ""))),
          ResourceType.builtIn(
              "", "ServiceAccount", "serviceaccounts", true, false, List.of("sa"), List.of(AGE)),
          ResourceType.builtIn(
              "apps",
              "Deployment",
              "deployments",
              true,
              true,
              List.of("deploy"),
              List.of(
                  new PrinterColumn("Desired", "integer", ".spec.replicas", 0, ""),
                  new PrinterColumn("Ready", "integer", ".status.readyReplicas", 0, ""),
                  new PrinterColumn("Up-to-date", "integer", ".status.updatedReplicas", 0, ""),
                  new PrinterColumn("Available", "integer", ".status.availableReplicas", 0, ""),
                  AGE)),
          ResourceType.builtIn(
              "coordination.k8s.io",
              "Lease",
              "leases",
              true,
              false,
              List.of(),
              List.of(new PrinterColumn("Holder", "string", ".spec.holderIdentity", 0, ""), AGE)),
          ResourceType.builtIn(
              "apiextensions.k8s.io",
              "CustomResourceDefinition",
              "customresourcedefinitions",
              false,
              true,
              List.of("crd", "crds"),
              List.of(AGE)));

  private final Supplier<String> crdList;
  private volatile Cached cached = new Cached("", BUILT_IN);

  private record Cached(String crdList, List<ResourceType> types) {}

  /**
   * @param crdList reads the CustomResourceDefinitionList currently in the store, as JSON
   */
  public ResourceCatalog(Supplier<String> crdList) {
    this.crdList = crdList;
  }

  /** Parsed again only when the stored CRDs changed: every request asks. */
  @SuppressWarnings("unchecked")
  public List<ResourceType> all() {
    String json = crdList.get();
    Cached current = cached;
    if (json.equals(current.crdList())) {
      return current.types();
    }
    List<ResourceType> all = new ArrayList<>(BUILT_IN);
    for (Object crd : JsonBodies.list(JsonBodies.read(json), "items")) {
      all.addAll(CrdTypes.of((Map<String, Object>) crd));
    }
    cached = new Cached(json, List.copyOf(all));
    return cached.types();
  }

  public Optional<ResourceType> find(String group, String version, String plural) {
    return all().stream()
        .filter(
            t ->
                t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
        .findFirst();
  }
}
