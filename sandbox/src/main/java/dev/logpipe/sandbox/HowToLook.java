package dev.logpipe.sandbox;

import dev.logpipe.sandbox.pods.PodInfo;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The "how to look" block: kubectl with the sandbox's kubeconfig, the gateway's log explorer and
 * the gateway with curl.
 */
final class HowToLook {
  /** Where bin/setup installs kubectl (LOGPIPE_KUBECTL overrides). */
  static final String KUBECTL_VERSION = "1.32.3";

  private HowToLook() {}

  private static Optional<Path> kubectl() {
    String configured = System.getenv("LOGPIPE_KUBECTL");
    Path path =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : dev.logpipe.devservices.process.UserHome.path()
                .resolve(Path.of(".cache", "logpipe", "kubectl", KUBECTL_VERSION, "kubectl"));
    return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
  }

  /**
   * A curl POST of one event stamped {@code now}: a fixed date would be hidden from the default
   * "last 24 h" queries, or replaced by the record time if it lies in the future.
   */
  static String postExample(String token, String url, Instant now) {
    String ts = now.truncatedTo(ChronoUnit.SECONDS).toString();
    return "  curl -s -X POST -H 'Authorization: Bearer "
        + token
        + "' -H 'Content-Type: application/x-ndjson' \\"
        + System.lineSeparator()
        + "       --data-binary '{\"ts\":\""
        + ts
        + "\",\"severity\":\"ERROR\",\"app\":\"demo\",\"msg\":\"hello\"}' "
        + url
        + "/v1/logs"
        + System.lineSeparator();
  }

  static void print(
      PrintStream out, Sandbox sandbox, PipelineWatch pipeline, SandboxOptions options) {
    String kc = "export KUBECONFIG=" + sandbox.kubeconfig();
    out.println();
    out.println("How to look (another terminal):");
    out.println("  " + kc);
    kubectl()
        .ifPresent(
            k ->
                out.println("  alias kubectl=" + k + "   # the stock kubectl bin/setup installed"));
    out.println(
        "  kubectl get lp,clb,deploy,pods          # namespace team-payments is the default");
    out.println(
        "  kubectl get lp payments -o yaml          # conditions, observedGeneration, table, topic");
    out.println("  kubectl get kafkatopics -n kafka");
    out.println("  kubectl get kafkausers -n kafka");
    out.println(
        "  kubectl get pods -o wide                  # READY, RESTARTS; node sandbox runs them as"
            + " local processes");
    out.println(
        "  kubectl delete pod <name>                 # its process stops, the ReplicaSet starts"
            + " another");
    out.println(
        "  (no kubectl logs: a pod's log file is in its sandbox.logpipe.dev/log annotation, under "
            + sandbox.pods().baseDir()
            + ")");
    out.println("  kubectl explain lp.spec.anomalies");
    out.println(
        "  kubectl edit lp payments                  # e.g. workers.replicas: 2, a rule; pods roll");
    out.println("  kubectl apply -f " + sandbox.pipelineManifest());
    Optional<PodInfo> gateway =
        sandbox.pods().pods().stream().filter(p -> p.component().equals("gateway")).findFirst();
    if (gateway.isPresent()) {
      String url = "http://127.0.0.1:" + gateway.get().port();
      String token = sandbox.pods().env(gateway.get(), "LOGPIPE_GATEWAY_TOKEN");
      out.println("Gateway (pod " + gateway.get().name() + "): " + url + "  token: " + token);
      out.println(
          "Log explorer: open "
              + url
              + "/ in a browser and paste the token above when asked (kept for that tab only)");
      out.println(
          "  curl -s -H 'Authorization: Bearer " + token + "' '" + url + "/v1/stats?from=15m'");
      out.println(
          "  curl -s -H 'Authorization: Bearer "
              + token
              + "' '"
              + url
              + "/v1/anomalies?from=15m&limit=5'");
      out.println(
          "  curl -s -H 'Authorization: Bearer "
              + token
              + "' '"
              + url
              + "/v1/logs?level=ERROR&limit=5'");
      out.print(postExample(token, url, Instant.now()));
      out.println("  " + url + "/docs  (API docs)");
    } else if (options.gateway()) {
      out.println(
          "Gateway: no gateway pod yet (this operator build may not create one); query ClickHouse instead.");
    }
    out.println(
        "ClickHouse: curl -s -H 'X-ClickHouse-User: "
            + sandbox.clickHouseUser()
            + "' -H 'X-ClickHouse-Key: "
            + sandbox.clickHousePassword()
            + "' '"
            + sandbox.clickHouseUrl()
            + "/?query=SELECT+service,level,count()+FROM+logs_team_payments.payments+GROUP+BY+ALL'");
    out.println(
        "Ctrl-C stops everything."
            + (options.duration() == null
                ? ""
                : " (stopping by itself after " + options.duration().toSeconds() + " s)"));
    out.println();
  }
}
