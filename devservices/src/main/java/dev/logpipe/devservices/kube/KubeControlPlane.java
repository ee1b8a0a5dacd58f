package dev.logpipe.devservices.kube;

import dev.logpipe.devservices.DevService;
import dev.logpipe.devservices.process.ChildProcess;
import dev.logpipe.devservices.process.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Kubernetes control plane on loopback: etcd, kube-apiserver (RBAC enforced, static tokens
 * for the admin and the controller manager, service-account tokens signed by a key in {@code dir})
 * and, unless switched off, kube-controller-manager (Deployments, ReplicaSets, garbage collection,
 * namespace deletion, ServiceAccounts). Each is a child process stopped by its PID; stop and start
 * again keep etcd's data, so a restart is a restart. There is no kubelet: pods stay Pending unless
 * a node agent runs them.
 */
public final class KubeControlPlane implements DevService {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final boolean controllers;
  private final KubeBinaries binaries;
  private final KubeCredentials credentials;
  private final int etcdPort = Ports.free();
  private final int etcdPeerPort = Ports.free();
  private final int apiPort = Ports.free();
  private ChildProcess etcd;
  private ChildProcess apiServer;
  private ChildProcess controllerManager;

  /**
   * @param dir etcd data, certificates, tokens, kubeconfigs and logs
   * @param controllers whether to run kube-controller-manager
   */
  public KubeControlPlane(Path dir, boolean controllers) {
    this.dir = dir.toAbsolutePath();
    this.controllers = controllers;
    this.binaries = KubeBinaries.locate();
    this.credentials = KubeCredentials.in(this.dir);
  }

  @Override
  public String name() {
    return "kubernetes";
  }

  @Override
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    if (etcd == null || !etcd.isAlive()) {
      etcd = startEtcd();
    }
    if (apiServer == null || !apiServer.isAlive()) {
      apiServer = startApiServer();
    }
    writeKubeconfig(kubeconfig(), credentials.adminToken);
    if (controllers && (controllerManager == null || !controllerManager.isAlive())) {
      controllerManager = startControllerManager();
    }
  }

  private ChildProcess startEtcd() {
    String client = "http://" + Ports.LOOPBACK + ":" + etcdPort;
    String peer = "http://" + Ports.LOOPBACK + ":" + etcdPeerPort;
    ChildProcess process =
        ChildProcess.start(
            "etcd",
            List.of(
                binaries.etcd().toString(),
                "--name=default",
                "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=" + client,
                "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer,
                "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=default=" + peer,
                // A test cluster: durability across power loss is not worth an fsync per write.
                "--unsafe-no-fsync=true",
                "--log-level=warn"),
            Map.of(),
            dir,
            dir.resolve("logs/etcd.log"));
    process.awaitReady(() -> Ports.accepts(etcdPort), START_TIMEOUT);
    return process;
  }

  private ChildProcess startApiServer() {
    List<String> command = new ArrayList<>();
    command.add(binaries.apiServer().toString());
    command.addAll(
        List.of(
            "--etcd-servers=http://" + Ports.LOOPBACK + ":" + etcdPort,
            "--bind-address=" + Ports.LOOPBACK,
            "--advertise-address=" + Ports.LOOPBACK,
            "--secure-port=" + apiPort,
            // No --tls-cert-file: the server generates a CA and a serving certificate for
            // 127.0.0.1 here; clients trust that bundle (caBundle()).
            "--cert-dir=" + dir.resolve("pki"),
            "--token-auth-file=" + credentials.tokenFile,
            "--authorization-mode=RBAC",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            "--service-account-key-file=" + credentials.serviceAccountPublicKey,
            "--service-account-signing-key-file=" + credentials.serviceAccountKey,
            "--service-cluster-ip-range=10.96.0.0/16",
            "--allow-privileged=true",
            "--endpoint-reconciler-type=none",
            "--enable-priority-and-fairness=false",
            "--profiling=false",
            "--event-ttl=15m"));
    ChildProcess process =
        ChildProcess.start(
            "kube-apiserver", command, Map.of(), dir, dir.resolve("logs/kube-apiserver.log"));
    process.awaitReady(() -> Files.exists(caBundle()) && Ports.accepts(apiPort), START_TIMEOUT);
    ApiServerHttp http = new ApiServerHttp(caBundle(), endpoint(), credentials.adminToken);
    process.awaitReady(() -> http.status("/readyz") == 200, START_TIMEOUT);
    return process;
  }

  private ChildProcess startControllerManager() {
    Path kubeconfig = dir.resolve("controller-manager.kubeconfig");
    writeKubeconfig(kubeconfig, credentials.controllerManagerToken);
    ChildProcess process =
        ChildProcess.start(
            "kube-controller-manager",
            List.of(
                binaries.controllerManager().toString(),
                "--kubeconfig=" + kubeconfig,
                "--bind-address=" + Ports.LOOPBACK,
                "--secure-port=0",
                "--leader-elect=false",
                "--use-service-account-credentials=false",
                "--service-account-private-key-file=" + credentials.serviceAccountKey,
                "--root-ca-file=" + caBundle(),
                // Quick garbage collection and namespace deletion for tests and the sandbox.
                "--concurrent-gc-syncs=5",
                "--namespace-sync-period=10s"),
            Map.of(),
            dir,
            dir.resolve("logs/kube-controller-manager.log"));
    // The ServiceAccount controller creating "default" in "default" shows the controllers run.
    ApiServerHttp http = new ApiServerHttp(caBundle(), endpoint(), credentials.adminToken);
    process.awaitReady(
        () -> http.status("/api/v1/namespaces/default/serviceaccounts/default") == 200,
        START_TIMEOUT);
    return process;
  }

  private void writeKubeconfig(Path file, String token) {
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: logpipe-dev
          cluster:
            server: %s
            certificate-authority: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: logpipe-dev
          context:
            cluster: logpipe-dev
            user: %s
            namespace: default
        current-context: logpipe-dev
        """
            .formatted(endpoint(), caBundle(), "admin", token, "admin");
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The admin kubeconfig ({@code system:masters}), for tests' own setup and for kubectl. */
  public Path kubeconfig() {
    return dir.resolve("admin.kubeconfig");
  }

  /** The CA bundle clients trust (PEM: the serving certificate and its CA). */
  public Path caBundle() {
    return dir.resolve("pki/apiserver.crt");
  }

  public String adminToken() {
    return credentials.adminToken;
  }

  public Path dir() {
    return dir;
  }

  /** PIDs of the running components, by name (for RSS and CPU figures). */
  public synchronized Map<String, Long> pids() {
    Map<String, Long> pids = new java.util.LinkedHashMap<>();
    for (ChildProcess p : List.of(etcd, apiServer, controllerManager)) {
      if (p != null && p.isAlive()) {
        pids.put(p.logFile().getFileName().toString().replace(".log", ""), p.pid());
      }
    }
    return pids;
  }

  @Override
  public String endpoint() {
    return "https://" + Ports.LOOPBACK + ":" + apiPort;
  }

  @Override
  public synchronized boolean isRunning() {
    return etcd != null
        && etcd.isAlive()
        && apiServer != null
        && apiServer.isAlive()
        && (!controllers || (controllerManager != null && controllerManager.isAlive()));
  }

  @Override
  public synchronized void stop() {
    for (ChildProcess p : stopOrder()) {
      p.stop(Duration.ofSeconds(10));
    }
  }

  @Override
  public synchronized void kill() {
    for (ChildProcess p : stopOrder()) {
      p.kill();
    }
  }

  private List<ChildProcess> stopOrder() {
    List<ChildProcess> order = new ArrayList<>();
    for (ChildProcess p : new ChildProcess[] {controllerManager, apiServer, etcd}) {
      if (p != null) {
        order.add(p);
      }
    }
    return order;
  }
}
