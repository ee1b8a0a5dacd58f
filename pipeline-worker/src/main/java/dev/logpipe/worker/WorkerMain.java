package dev.logpipe.worker;

import dev.logpipe.worker.config.ConfigException;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import dev.logpipe.worker.gateway.GatewayCommand;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code pipeline-worker consume|gateway [--config FILE]}: runs one pipeline's consume loop, or its
 * HTTP ingest and query gateway. The config file defaults to {@code $LOGPIPE_PIPELINE_CONFIG}. Exit
 * codes: 0 after a graceful stop, 2 for a bad command line or config (the message names the field
 * at fault), 1 otherwise.
 */
public final class WorkerMain {
  private WorkerMain() {}

  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.com.clickhouse", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.io.lettuce", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.io.netty", "warn");
    if (args.length == 0 || !(args[0].equals("consume") || args[0].equals("gateway"))) {
      System.err.println("usage: pipeline-worker consume|gateway [--config FILE]");
      System.exit(2);
    }
    String file = System.getenv(PipelineConfigLoader.CONFIG_ENV);
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = args[++i];
      } else {
        System.err.println("unknown argument: " + args[i]);
        System.exit(2);
      }
    }
    if (file == null || file.isBlank()) {
      System.err.println("no config: pass --config FILE or set " + PipelineConfigLoader.CONFIG_ENV);
      System.exit(2);
    }
    PipelineConfig config;
    try {
      config = PipelineConfigLoader.load(Path.of(file));
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Map<String, String> env = System.getenv();
    if (args[0].equals("gateway")) {
      runGateway(config, env);
      return;
    }
    ConsumeCommand command = ConsumeCommand.fromEnvironment(config, env);
    Runtime.getRuntime().addShutdownHook(new Thread(command::shutdown, "shutdown"));
    command.run();
  }

  private static void runGateway(PipelineConfig config, Map<String, String> env) {
    GatewayCommand gateway;
    try {
      gateway = new GatewayCommand(config, env);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try {
      gateway.awaitShutdown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
