package dev.logpipe.worker;

import dev.logpipe.worker.config.ConfigException;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import dev.logpipe.worker.gateway.GatewayCommand;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;

/**
 * {@code pipeline-worker consume|gateway [--config FILE]}: runs one pipeline's consume loop, or its
 * HTTP ingest and query gateway. The config file defaults to {@code $LOGPIPE_PIPELINE_CONFIG}. Exit
 * codes: 0 after a graceful stop (SIGTERM or SIGINT), 2 for a bad command line, config or
 * environment (the message names the field at fault), 1 otherwise.
 */
public final class WorkerMain {
  private WorkerMain() {}

  /** A command line that cannot be run; the message says why. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

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
    Map<String, String> env = System.getenv();
    PipelineConfig config;
    try {
      config =
          PipelineConfigLoader.load(configFile(Arrays.asList(args).subList(1, args.length), env));
    } catch (UsageException | ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (args[0].equals("gateway")) {
      runGateway(config, env);
      return;
    }
    ConsumeCommand command;
    try {
      command = ConsumeCommand.fromEnvironment(config, env);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    // SIGTERM/SIGINT stop the loop, which stores and commits what it holds; main then exits 0.
    // (The JVM's own handler would run the shutdown hook too, but exit with 143.)
    Signal.handle(new Signal("TERM"), signal -> command.loop().stop());
    Signal.handle(new Signal("INT"), signal -> command.loop().stop());
    Runtime.getRuntime().addShutdownHook(new Thread(command::shutdown, "shutdown"));
    try {
      command.run();
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  /**
   * The config file from the arguments after the command ({@code --config FILE}), else from {@code
   * $LOGPIPE_PIPELINE_CONFIG}.
   */
  static Path configFile(List<String> args, Map<String, String> env) {
    String file = env.get(PipelineConfigLoader.CONFIG_ENV);
    for (int i = 0; i < args.size(); i++) {
      if (!args.get(i).equals("--config")) {
        throw new UsageException("unknown argument: " + args.get(i));
      }
      if (i + 1 >= args.size() || args.get(i + 1).isBlank()) {
        throw new UsageException("--config needs a file name");
      }
      file = args.get(++i);
    }
    if (file == null || file.isBlank()) {
      throw new UsageException(
          "no config: pass --config FILE or set " + PipelineConfigLoader.CONFIG_ENV);
    }
    return Path.of(file);
  }

  private static void runGateway(PipelineConfig config, Map<String, String> env) {
    GatewayCommand gateway;
    try {
      gateway = new GatewayCommand(config, env);
    } catch (IllegalArgumentException | ConfigException e) {
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
