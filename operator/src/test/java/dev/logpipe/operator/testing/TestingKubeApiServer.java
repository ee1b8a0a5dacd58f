package dev.logpipe.operator.testing;

import com.marcnuri.helm.Helm;
import dev.logpipe.devservices.kube.KubeControlPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.strimzi.api.kafka.Crds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Kubernetes control plane ({@link KubeControlPlane}: etcd, kube-apiserver,
 * kube-controller-manager) with our CRDs and Strimzi's KafkaTopic and KafkaUser installed through
 * the server and waited for {@code Established}. One per test class: tests reuse cluster-scoped
 * names (backends, CRDs), so each class starts from an empty etcd. {@link #operatorClient()}
 * authenticates as the Helm chart's ServiceAccount, bound to the chart's rendered
 * ClusterRole/Roles: a call the chart does not grant is a real 403, recorded and failed on in
 * {@link #close()}.
 */
public final class TestingKubeApiServer implements TestingCluster {
  /** The chart's release and ServiceAccount, as {@code helm install logpipe} names them. */
  public static final String RELEASE = "logpipe";

  public static final String SERVICE_ACCOUNT = "logpipe-logpipe-operator";

  private final KubeControlPlane controlPlane;
  private final KubernetesClient client;
  private final List<KubernetesClient> operatorClients = new CopyOnWriteArrayList<>();
  private final List<String> forbidden = new CopyOnWriteArrayList<>();
  private final Path dir;

  public TestingKubeApiServer() {
    this(true);
  }

  /**
   * @param controllers whether kube-controller-manager runs too (garbage collection, Deployments,
   *     namespaces); a test of what the API server alone judges (validation) saves its start
   */
  public TestingKubeApiServer(boolean controllers) {
    try {
      dir = Files.createTempDirectory("logpipe-kube-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    controlPlane = new KubeControlPlane(dir, controllers);
    controlPlane.start();
    client = new KubernetesClientBuilder().withConfig(config(controlPlane.adminToken())).build();
    installCrds();
  }

  private Config config(String token) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(controlPlane.endpoint())
        .withCaCertFile(controlPlane.caBundle().toString())
        .withOauthToken(token)
        .withNamespace("default")
        .withRequestRetryBackoffLimit(3)
        .build();
  }

  public KubeControlPlane controlPlane() {
    return controlPlane;
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public boolean real() {
    return true;
  }

  /**
   * The operator's client: the chart (rendered by helm-java for release {@value #RELEASE} in {@code
   * operatorNamespace}) is applied once, and the client carries a token of its ServiceAccount from
   * the TokenRequest API.
   */
  @Override
  public synchronized KubernetesClient operatorClient(String operatorNamespace) {
    String token = serviceAccountToken(client, operatorNamespace);
    Interceptor recordForbidden =
        new Interceptor() {
          @Override
          public void after(
              HttpRequest request,
              HttpResponse<?> response,
              AsyncBody.Consumer<List<ByteBuffer>> consumer) {
            if (response.code() == 403 && !intoTerminatingNamespace(request)) {
              forbidden.add(request.method() + " " + request.uri());
            }
          }
        };
    KubernetesClient operator =
        new KubernetesClientBuilder()
            .withConfig(config(token))
            .withHttpClientBuilderConsumer(
                h -> h.addOrReplaceInterceptor("logpipe-test-forbidden", recordForbidden))
            .build();
    operatorClients.add(operator);
    return operator;
  }

  /**
   * A write into a namespace being deleted is refused with 403 by the NamespaceLifecycle admission
   * (not by RBAC): an operator may race the namespace controller there, and the server is right.
   */
  private boolean intoTerminatingNamespace(HttpRequest request) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("/namespaces/([^/]+)/").matcher(request.uri().getPath());
    if (!m.find()) {
      return false;
    }
    var ns = client.namespaces().withName(m.group(1)).get();
    return ns == null
        || ns.getMetadata().getDeletionTimestamp() != null
        || (ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase()));
  }

  /** Requests of the operator's clients that the server refused with 403, so far. */
  public List<String> forbidden() {
    return List.copyOf(forbidden);
  }

  /**
   * A token (24 h) of the chart's operator ServiceAccount in {@code operatorNamespace}, from the
   * TokenRequest API; the chart's ServiceAccount, ClusterRoles, Roles and bindings (rendered by
   * helm-java for release {@value #RELEASE}) are created first if they are not there. The sandbox
   * runs its operator with it too.
   */
  public static String serviceAccountToken(KubernetesClient client, String operatorNamespace) {
    if (client.serviceAccounts().inNamespace(operatorNamespace).withName(SERVICE_ACCOUNT).get()
        == null) {
      installChartRbac(client, operatorNamespace);
    }
    TokenRequest token =
        client
            .serviceAccounts()
            .inNamespace(operatorNamespace)
            .withName(SERVICE_ACCOUNT)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(24 * 3600L)
                    .endSpec()
                    .build());
    return token.getStatus().getToken();
  }

  private static void installChartRbac(KubernetesClient client, String operatorNamespace) {
    String rendered =
        new Helm(repoRoot().resolve("helm/logpipe-operator"))
            .template()
            .withName(RELEASE)
            .withNamespace(operatorNamespace)
            .withKubeVersion("v1.33.0")
            .call();
    Set<String> kinds =
        Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");
    List<HasMetadata> objects = new ArrayList<>();
    for (HasMetadata o :
        client.load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8))).items()) {
      if (kinds.contains(o.getKind())) {
        objects.add(o);
      }
    }
    if (objects.stream().noneMatch(o -> "ServiceAccount".equals(o.getKind()))) {
      throw new IllegalStateException("the chart rendered no ServiceAccount:\n" + rendered);
    }
    for (HasMetadata o : objects) {
      if (o.getMetadata().getNamespace() != null
          && client.namespaces().withName(o.getMetadata().getNamespace()).get() == null) {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(o.getMetadata().getNamespace())
                    .endMetadata()
                    .build())
            .serverSideApply(); // the sandbox may be creating it at the same time
      }
      client.resource(o).create();
    }
  }

  private void installCrds() {
    Path crds = repoRoot().resolve("crds");
    List<CustomResourceDefinition> created = new ArrayList<>();
    try (Stream<Path> files = Files.list(crds)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          created.add(client.apiextensions().v1().customResourceDefinitions().load(in).create());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    created.add(
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .resource(Crds.kafkaTopic())
            .create());
    created.add(
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .resource(Crds.kafkaUser())
            .create());
    for (CustomResourceDefinition crd : created) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(
              c ->
                  c != null
                      && c.getStatus() != null
                      && c.getStatus().getConditions() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              x ->
                                  "Established".equals(x.getType())
                                      && "True".equals(x.getStatus())),
              30,
              TimeUnit.SECONDS);
    }
  }

  static Path repoRoot() {
    String root = System.getProperty("logpipe.repo.root");
    if (root != null) {
      return Path.of(root);
    }
    return Files.isDirectory(Path.of("../crds")) ? Path.of("..") : Path.of(".");
  }

  @Override
  public void close() {
    operatorClients.forEach(KubernetesClient::close);
    client.close();
    controlPlane.stop();
    deleteQuietly(dir);
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temp folder left behind is harmless
    }
  }

  /** How long a real server may take to settle a rollout in tests. */
  public static final Duration ROLLOUT = Duration.ofSeconds(60);
}
