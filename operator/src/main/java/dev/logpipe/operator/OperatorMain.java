package dev.logpipe.operator;

import dev.logpipe.operator.config.OperatorConfig;
import dev.logpipe.operator.http.OperatorHttpServer;
import dev.logpipe.operator.logging.KeyValueLogFormatter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator process: configuration from the environment, the operator, health and metrics. */
public final class OperatorMain {
  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    KeyValueLogFormatter.install(Level.INFO);
    Logger log = LoggerFactory.getLogger(OperatorMain.class);
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnv(System.getenv());
    } catch (OperatorConfig.InvalidConfigException e) {
      log.error("event=invalid_config message=\"{}\"", e.getMessage());
      System.exit(2);
      return;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client = new KubernetesClientBuilder().build();
    LogpipeOperator operator = new LogpipeOperator(client, config, registry, Clock.systemUTC());
    OperatorHttpServer http =
        new OperatorHttpServer(config.httpPort(), operator.operator().getRuntimeInfo(), registry);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  http.close();
                  operator.close();
                  client.close();
                },
                "logpipe-shutdown"));
    http.start();
    operator.start();
    log.info(
        "event=started watchNamespaces={} operatorNamespace={} threads={} resyncSeconds={}"
            + " leaderElection={} httpPort={}",
        config.watchesAllNamespaces() ? "all" : String.join(",", config.watchNamespaces()),
        config.operatorNamespace(),
        config.reconcileThreads(),
        config.resyncPeriod().toSeconds(),
        config.leaderElection(),
        http.port());
  }
}
