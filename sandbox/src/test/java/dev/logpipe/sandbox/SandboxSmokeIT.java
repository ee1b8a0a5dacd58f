package dev.logpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README quick-start command 1 as CI runs it: {@code bin/sandbox --duration 60s}, the launcher
 * script itself (its build step skipped: Maven has just built everything). It applies examples/,
 * runs the generator, must get the pipeline Ready, store rows, print how to look (and what it
 * prints must work: kubectl with the printed kubeconfig, curl with the printed gateway URL and
 * token) and exit 0; a run too short to get Ready exits non-zero. Prints the time from command
 * start to Ready.
 */
class SandboxSmokeIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Pattern READY =
      Pattern.compile("\\[\\s*([0-9.]+)s] pipeline team-payments/payments is Ready");
  static final Pattern ROWS = Pattern.compile("rows stored ([0-9,]+) ");
  static final Pattern KUBECONFIG = Pattern.compile("export KUBECONFIG=(\\S+)");
  static final Pattern GATEWAY = Pattern.compile("Gateway \\(pod \\S+\\): (\\S+)\\s+token: (\\S+)");

  @TempDir Path dir;

  @Test
  void theSmokeRunGetsReadyStoresRowsSaysHowToLookAndExitsZero() throws Exception {
    SandboxCommand run =
        SandboxCommand.start(
            dir.resolve("sb"), "--duration", "60s", "--dir", dir.resolve("sb").toString());
    // While it runs: what "How to look" prints must work.
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> run.find(GATEWAY) != null || !run.process().isAlive());
    Matcher kubeconfig = run.find(KUBECONFIG);
    Matcher gateway = run.find(GATEWAY);
    assertThat(gateway).as(run.output()).isNotNull();
    assertThat(kubeconfig).as(run.output()).isNotNull();
    Kubectl.Result lp =
        new Kubectl(Path.of(kubeconfig.group(1)), dir.resolve("kubectl-cache"))
            .run("get", "lp", "payments");
    assertThat(lp.exitCode()).as(lp.toString()).isZero();
    assertThat(lp.stdout()).contains("payments", "True");
    HttpResponse<String> stats =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(gateway.group(1) + "/v1/stats?from=15m"))
                    .header("Authorization", "Bearer " + gateway.group(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
    // The log explorer is served by the same gateway, page open, data behind the token.
    HttpResponse<String> explorer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(gateway.group(1) + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(explorer.statusCode()).isEqualTo(200);
    assertThat(explorer.body()).contains("<title>logpipe explorer</title>");
    // bin/sandbox execs the JVM: its children are the services, the control plane and the pods.
    List<ProcessHandle> children = run.process().descendants().toList();
    assertThat(children.stream().map(p -> p.info().command().orElse("")).toList())
        .as(
            "Kafka, ClickHouse, Redis, etcd, kube-apiserver, kube-controller-manager, worker and"
                + " gateway pods")
        .anyMatch(c -> c.endsWith("/etcd"))
        .anyMatch(c -> c.endsWith("/kube-apiserver"))
        .anyMatch(c -> c.endsWith("/kube-controller-manager"))
        .hasSizeGreaterThanOrEqualTo(8);

    int exit = run.waitForExit(Duration.ofSeconds(150));
    String out = run.output();
    assertThat(exit).as(out).isZero();
    Matcher ready = run.find(READY);
    assertThat(ready).as(out).isNotNull();
    System.out.printf(
        "bin/sandbox: time from command start to Ready: %s s%n%s", ready.group(1), out);
    List<Long> rows =
        run.all(ROWS).stream().map(m -> Long.parseLong(m.group(1).replace(",", ""))).toList();
    assertThat(rows).as(out).isNotEmpty();
    assertThat(rows.get(rows.size() - 1)).as("rows stored at the end").isPositive();
    assertThat(out)
        .contains(
            "How to look",
            "kubectl get lp",
            "/v1/anomalies",
            "Log explorer: open",
            "smoke run passed")
        .doesNotContain("FAILED");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(children.stream().filter(ProcessHandle::isAlive).toList())
                    .as("processes left behind")
                    .isEmpty());
    run.assertNothingLeftBehind();
  }

  @Test
  void aRunThatCannotGetReadyExitsNonZero() throws Exception {
    SandboxCommand run =
        SandboxCommand.start(
            dir.resolve("short"), "--duration", "1s", "--dir", dir.resolve("short").toString());
    int exit = run.waitForExit(Duration.ofSeconds(90));
    String out = run.output();
    assertThat(exit).as(out).isEqualTo(1);
    assertThat(out).contains("did not become Ready", "smoke run FAILED");
    run.assertNothingLeftBehind();
  }
}
