package dev.logpipe.operator.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import java.net.HttpURLConnection;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fabric8 CRUD mock with an index for requests that name one object. The stock dispatcher
 * matches every stored object against every request (a linear scan per GET, PUT and PATCH), which
 * makes the mock, not the operator, the bottleneck once a few thousand objects exist. Here a GET of
 * one namespaced object and the lookup behind PUT/PATCH/status writes go through an index by
 * (plural, namespace, name); lists, watches, cluster-scoped objects and deletes keep the stock
 * path. A candidate is used only when the stock matcher accepts it and the stored map still holds
 * it. An object that matches such a query carries the same plural, namespace and name, so a miss in
 * the index is a 404 without a scan, as long as every stored object could be indexed (single-valued
 * plural, namespace and name); if one ever could not, misses fall back to the stock scan.
 */
public final class TestingIndexedCrudDispatcher extends KubernetesCrudDispatcher {
  private final Map<String, Set<AttributeSet>> index = new ConcurrentHashMap<>();
  private final AtomicLong indexed = new AtomicLong();
  private final AtomicLong scanned = new AtomicLong();
  private volatile boolean exhaustive = true;

  public TestingIndexedCrudDispatcher() {
    super(List.of());
  }

  /** Lookups answered from the index and lookups that fell back to the stock scan. */
  public long[] lookups() {
    return new long[] {indexed.get(), scanned.get()};
  }

  @Override
  public MockResponse handleGet(String path) {
    if (!path.contains("watch=true")) {
      AttributeSet query = getAttributeExtractor().fromPath(path);
      if (key(query) != null) {
        Map.Entry<AttributeSet, String> found = indexedFind(query);
        if (found != null) {
          return new MockResponse()
              .setResponseCode(HttpURLConnection.HTTP_OK)
              .setBody(found.getValue());
        }
        if (exhaustive) {
          return new MockResponse().setResponseCode(HttpURLConnection.HTTP_NOT_FOUND);
        }
      }
    }
    return super.handleGet(path);
  }

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
    Map.Entry<AttributeSet, String> found = indexedFind(attributes);
    if (found != null || (exhaustive && key(attributes) != null)) {
      return found;
    }
    return super.findResource(attributes);
  }

  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    try {
      super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    } finally {
      reindex(pathAttributes, oldAttributes, resource, newState);
    }
  }

  private void reindex(
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    if (oldAttributes != null) {
      String key = key(oldAttributes);
      if (key != null) {
        index.computeIfPresent(
            key,
            (k, set) -> {
              set.remove(oldAttributes);
              return set.isEmpty() ? null : set;
            });
      }
    }
    if (newState != null) {
      // The same attributes the stock processEvent stored the new state under.
      KubernetesAttributesExtractor extractor =
          (KubernetesAttributesExtractor) getAttributeExtractor();
      AttributeSet added =
          resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
      if (!added.containsKey(KubernetesAttributesExtractor.PLURAL)) {
        added = AttributeSet.merge(pathAttributes, added);
      }
      String key = key(added);
      if (key != null) {
        index.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(added);
      } else if (multiValued(added)) {
        exhaustive = false;
      }
    }
  }

  @Override
  public void reset() {
    super.reset();
    index.clear();
  }

  /** The stored object a query naming one namespaced object selects, or null to use the scan. */
  private Map.Entry<AttributeSet, String> indexedFind(AttributeSet query) {
    String key = key(query);
    if (key == null) {
      return null;
    }
    Set<AttributeSet> candidates = index.get(key);
    if (candidates != null) {
      for (AttributeSet candidate : candidates) {
        String value = getMap().get(candidate);
        if (value != null && candidate.matches(query)) {
          indexed.incrementAndGet();
          return new AbstractMap.SimpleImmutableEntry<>(candidate, value);
        }
      }
    }
    scanned.incrementAndGet();
    return null;
  }

  /** plural/namespace/name when all three are present, else null. */
  private static String key(AttributeSet attributes) {
    String plural = single(attributes, KubernetesAttributesExtractor.PLURAL);
    String namespace = single(attributes, KubernetesAttributesExtractor.NAMESPACE);
    String name = single(attributes, KubernetesAttributesExtractor.NAME);
    return plural == null || namespace == null || name == null
        ? null
        : plural + "/" + namespace + "/" + name;
  }

  private static boolean multiValued(AttributeSet attributes) {
    for (String key :
        List.of(
            KubernetesAttributesExtractor.PLURAL,
            KubernetesAttributesExtractor.NAMESPACE,
            KubernetesAttributesExtractor.NAME)) {
      Attribute attribute = attributes.getAttribute(key);
      if (attribute != null && attribute.getValues().size() != 1) {
        return true;
      }
    }
    return false;
  }

  private static String single(AttributeSet attributes, String key) {
    Attribute attribute = attributes.getAttribute(key);
    return attribute == null || attribute.getValues().size() != 1
        ? null
        : attribute.getValues().get(0).toString();
  }
}
