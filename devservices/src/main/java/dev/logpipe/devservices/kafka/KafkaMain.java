package dev.logpipe.devservices.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point of the Kafka child JVM: writes a single-node KRaft configuration (broker and
 * controller in one process), formats the storage on first start, then runs {@code kafka.Kafka}.
 *
 * <p>Two client listeners on loopback: {@code PLAINTEXT}, the administrator's (its principal,
 * {@code User:ANONYMOUS}, is a super user, so the operator, the tests and the tools keep working
 * unauthenticated), and {@code SASL_PLAINTEXT} with SCRAM-SHA-512, where KRaft's {@code
 * StandardAuthorizer} enforces the ACLs of per-pipeline users (created through the Admin API, as
 * Strimzi's User Operator does).
 *
 * <p>Arguments: data directory, client port, controller port, SCRAM port.
 */
public final class KafkaMain {
  private KafkaMain() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    int controllerPort = Integer.parseInt(args[2]);
    int scramPort = Integer.parseInt(args[3]);
    Path logs = dir.resolve("logs");
    Files.createDirectories(logs);
    Path properties = dir.resolve("server.properties");
    Files.writeString(properties, serverProperties(logs, port, controllerPort, scramPort));
    if (!Files.exists(logs.resolve("meta.properties"))) {
      format(properties);
    }
    kafka.Kafka.main(new String[] {properties.toString()});
  }

  static String serverProperties(Path logs, int port, int controllerPort, int scramPort) {
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:"
            + port
            + ",CONTROLLER://127.0.0.1:"
            + controllerPort
            + ",SASL_PLAINTEXT://127.0.0.1:"
            + scramPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:"
            + port
            + ",SASL_PLAINTEXT://127.0.0.1:"
            + scramPort,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,"
            + "SASL_PLAINTEXT:SASL_PLAINTEXT",
        "sasl.enabled.mechanisms=SCRAM-SHA-512",
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config="
            + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        // The loopback PLAINTEXT and CONTROLLER listeners are the administrator's and the
        // broker's own; only SCRAM users are subject to ACLs.
        "super.users=User:ANONYMOUS",
        "inter.broker.listener.name=PLAINTEXT",
        "log.dirs=" + logs,
        "num.partitions=1",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=4",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        // Records up to 8 MiB (default 1 MiB), so tests can send the oversized lines a cluster
        // configured for them would deliver (the worker dead-letters anything over 1 MiB).
        "message.max.bytes=8388608",
        "log.flush.interval.messages=9223372036854775807",
        "num.network.threads=2",
        "num.io.threads=2",
        "background.threads=2",
        "log.cleaner.threads=1",
        "");
  }

  private static void format(Path properties) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc =
        kafka.tools.StorageTool.execute(
            new String[] {
              "format",
              "-t",
              org.apache.kafka.common.Uuid.randomUuid().toString(),
              "-c",
              properties.toString()
            },
            new PrintStream(out, true, StandardCharsets.UTF_8));
    if (rc != 0) {
      throw new IllegalStateException(
          "kafka storage format failed: " + out.toString(StandardCharsets.UTF_8));
    }
  }
}
