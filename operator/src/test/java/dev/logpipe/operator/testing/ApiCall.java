package dev.logpipe.operator.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One request to the Kubernetes API as RBAC authorizes it: verb, API group ("" for core), resource
 * with its subresource ("logpipelines/status") and namespace (null for cluster-scoped resources and
 * for requests across all namespaces). Parsed from the HTTP method and path the way the API
 * server's request-info resolver does it.
 */
public record ApiCall(String verb, String group, String resource, String namespace) {
  // The API server treats namespaces/{name}/{status|finalize} as subresources of the namespace.
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  /** "verb group/resource in namespace", as failure messages print it. */
  @Override
  public String toString() {
    return verb
        + " "
        + (group.isEmpty() ? "core" : group)
        + "/"
        + resource
        + (namespace == null ? " (cluster-wide)" : " in " + namespace);
  }

  /**
   * The RBAC verbs of one request: GET of a named object is get, of a collection list, with
   * watch=true watch; POST create; PUT update; PATCH patch (server-side apply included, and a
   * server-side apply that creates the object needs create as well); DELETE of a named object
   * delete, of a collection deletecollection. Non-resource paths (/version, /apis) give none.
   *
   * @param created the request made a new object (an apply answered 201)
   */
  public static List<ApiCall> of(String method, String pathAndQuery, boolean created) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    List<String> parts = new ArrayList<>(List.of(path.replaceAll("^/+|/+$", "").split("/")));
    String group;
    if (parts.size() >= 2 && parts.get(0).equals("api")) {
      group = "";
      parts = parts.subList(2, parts.size());
    } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      parts = parts.subList(3, parts.size());
    } else {
      return List.of();
    }
    if (parts.isEmpty()) {
      return List.of(); // discovery: /api/v1, /apis/<group>/<version>
    }
    String namespace = null;
    if (parts.get(0).equals("namespaces")
        && parts.size() >= 3
        && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
      namespace = parts.get(1);
      parts = parts.subList(2, parts.size());
    } else if (parts.get(0).equals("namespaces") && parts.size() >= 2) {
      // The Namespace object itself: cluster-scoped, authorized "in" its own namespace.
      namespace = null;
    }
    String resource = parts.get(0);
    boolean named = parts.size() >= 2;
    if (parts.size() >= 3) {
      resource = resource + "/" + parts.get(2);
    }
    boolean watch = query.matches("(^|.*&)watch=(true|1)(&.*|$)");
    List<String> verbs =
        switch (method) {
          case "GET" -> List.of(watch ? "watch" : named ? "get" : "list");
          case "POST" -> List.of("create");
          case "PUT" -> List.of("update");
          case "PATCH" -> created ? List.of("patch", "create") : List.of("patch");
          case "DELETE" -> List.of(named ? "delete" : "deletecollection");
          default -> List.of(method.toLowerCase(java.util.Locale.ROOT));
        };
    String ns = namespace;
    String res = resource;
    return verbs.stream().map(v -> new ApiCall(v, group, res, ns)).toList();
  }
}
