package dev.logpipe.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * {@code devservices [kafka] [clickhouse] [redis] [--dir DIR]}: starts the named services (all when
 * none is named) in the foreground, prints their endpoints and writes them to {@code
 * DIR/endpoints.env}, and stops them on Ctrl-C (SIGINT/SIGTERM).
 */
public final class DevServicesCli {
  private DevServicesCli() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    EnumSet<DevServices.Kind> kinds = EnumSet.noneOf(DevServices.Kind.class);
    Path dir = Path.of(".devservices");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dir" -> dir = Path.of(args[++i]);
        case "-h", "--help" -> {
          System.out.println("usage: devservices [kafka] [clickhouse] [redis] [--dir DIR]");
          return;
        }
        default -> {
          try {
            kinds.add(DevServices.Kind.valueOf(args[i].toUpperCase(Locale.ROOT)));
          } catch (IllegalArgumentException e) {
            System.err.println("unknown service '" + args[i] + "': use kafka, clickhouse or redis");
            System.exit(2);
          }
        }
      }
    }
    if (kinds.isEmpty()) {
      kinds = EnumSet.allOf(DevServices.Kind.class);
    }
    long started = System.nanoTime();
    DevServices services = DevServices.start(dir.toAbsolutePath(), kinds);
    StringBuilder env = new StringBuilder();
    for (DevServices.Kind kind : kinds) {
      String endpoint = services.service(kind).endpoint();
      System.out.printf("%-10s %s%n", kind.name().toLowerCase(Locale.ROOT), endpoint);
      env.append("LOGPIPE_").append(kind.name()).append("=").append(endpoint).append('\n');
    }
    Files.writeString(dir.resolve("endpoints.env"), env);
    System.out.printf(
        "ready in %d ms; endpoints in %s; Ctrl-C stops everything%n",
        (System.nanoTime() - started) / 1_000_000, dir.resolve("endpoints.env"));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  services.close();
                  stopped.countDown();
                }));
    stopped.await();
  }
}
