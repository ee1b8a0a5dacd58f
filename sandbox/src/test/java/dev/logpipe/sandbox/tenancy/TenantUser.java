package dev.logpipe.sandbox.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.devservices.kube.KubeControlPlane;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A person bound by a RoleBinding to the API server's own ClusterRole {@code edit} (kube-apiserver
 * creates admin/edit/view itself) in one namespace, acting through a client that impersonates her:
 * the admin's token with fabric8's {@code Impersonate-User} header ({@link
 * Config#setImpersonateUsername}), which kube-apiserver authorizes as that user, exactly as {@code
 * kubectl --as} (it adds only {@code system:authenticated}). Every refusal is the real RBAC's.
 */
public final class TenantUser implements AutoCloseable {
  private final String name;
  private final KubernetesClient client;

  private TenantUser(String name, KubernetesClient client) {
    this.name = name;
    this.client = client;
  }

  /**
   * Binds {@code user} to ClusterRole {@code edit} in {@code namespace}, as a platform team does.
   */
  public static TenantUser boundToEdit(
      KubernetesClient admin, KubeControlPlane kube, String user, String namespace) {
    admin
        .rbac()
        .roleBindings()
        .inNamespace(namespace)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(user + "-edit")
                .withNamespace(namespace)
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("ClusterRole")
                .withName("edit")
                .endRoleRef()
                .addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("User")
                .withName(user)
                .endSubject()
                .build())
        .create();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(kube.endpoint())
            .withCaCertFile(kube.caBundle().toString())
            .withOauthToken(kube.adminToken())
            .withNamespace(namespace)
            .build();
    config.setImpersonateUsername(user);
    return new TenantUser(user, new KubernetesClientBuilder().withConfig(config).build());
  }

  public String name() {
    return name;
  }

  /** Her client: every request carries {@code Impersonate-User: <name>}. */
  public KubernetesClient client() {
    return client;
  }

  /** What the server answers her SelfSubjectAccessReview (the check {@code kubectl auth can-i}). */
  public boolean can(String verb, String resource, String subresource, String namespace) {
    SelfSubjectAccessReview review =
        new SelfSubjectAccessReviewBuilder()
            .withNewSpec()
            .withNewResourceAttributes()
            .withNamespace(namespace)
            .withVerb(verb)
            .withResource(resource)
            .withSubresource(subresource)
            .endResourceAttributes()
            .endSpec()
            .build();
    return client
        .authorization()
        .v1()
        .selfSubjectAccessReview()
        .create(review)
        .getStatus()
        .getAllowed();
  }

  /**
   * POSTs an empty body to {@code path} as her, without a WebSocket upgrade: the server authorizes
   * the request (e.g. {@code create pods/exec}) before it asks for the upgrade, so a 403 here is
   * RBAC's answer with its message, and any other status means authorization passed.
   */
  public HttpResponse<String> post(String path) throws Exception {
    HttpClient http = client.getHttpClient();
    HttpRequest request =
        http.newHttpRequestBuilder()
            .uri(client.getConfiguration().getMasterUrl().replaceAll("/$", "") + path)
            .post("application/json", "")
            .build();
    return http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
  }

  /**
   * Asserts the server refused {@code call} with 403 naming this user (RBAC's {@code forbidden:
   * User "<name>" cannot ...}), not some other error. A watch or exec that opens is closed and
   * fails the assertion. fabric8 does not read the body of a refused WebSocket upgrade (watch,
   * exec), so there only the 403 is checked: pair those with {@link #can}.
   */
  public void assertForbidden(String what, Callable<?> call) {
    KubernetesClientException refused = refusal(call);
    assertThat(refused).as(name + " " + what + ": expected 403, the server allowed it").isNotNull();
    assertThat(refused.getCode())
        .as(name + " " + what + ": " + refused.getMessage())
        .isEqualTo(403);
    if (!refused.getMessage().contains("Received 403 on websocket")) {
      assertThat(refused.getMessage())
          .as(name + " " + what)
          .contains("User \"" + name + "\" cannot");
    }
  }

  private static KubernetesClientException refusal(Callable<?> call) {
    try {
      Object result = call.call();
      if (result instanceof AutoCloseable opened) {
        opened.close(); // a watch or exec the server let through
      }
      return null;
    } catch (Exception e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof KubernetesClientException k && k.getCode() != 0) {
          return k;
        }
      }
      throw new AssertionError("not a refusal by the API server: " + e, e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
