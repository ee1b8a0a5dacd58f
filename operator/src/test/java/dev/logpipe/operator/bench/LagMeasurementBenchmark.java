package dev.logpipe.operator.bench;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.operator.autoscale.AutoscaleTarget;
import dev.logpipe.operator.autoscale.Autoscaler;
import dev.logpipe.operator.autoscale.AutoscalerMetrics;
import dev.logpipe.operator.autoscale.ScalePolicy;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The cost of lag measurement: N autoscaled pipelines (default 500, 6 partitions each) on the dev
 * Kafka, half with committed offsets, measured by the operator's {@link Autoscaler} round after
 * round. Prints, per round, the CPU time of the measuring threads (the autoscaler's and the Admin
 * client's network thread) and the Admin requests sent, and from them the share of one core and the
 * Admin requests per second per pipeline at the production period ({@link Autoscaler#PERIOD}).
 * Goal: under 5% of one core, under 1 request/s per pipeline. Run (test classpath):
 *
 * <pre>
 * java -cp ... dev.logpipe.operator.bench.LagMeasurementBenchmark [pipelines] [partitions] [rounds]
 * </pre>
 */
public final class LagMeasurementBenchmark {
  public static void main(String[] args) throws Exception {
    int pipelines = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    try (DevServices services =
        DevServices.start(Files.createTempDirectory("lag-bench"), Set.of(DevServices.Kind.KAFKA))) {
      String bootstrap = services.kafkaBootstrap();
      List<String> topics = new ArrayList<>();
      for (int i = 0; i < pipelines; i++) {
        topics.add("logpipe.bench-" + (i / 10) + ".p" + (i % 10));
      }
      prepare(bootstrap, topics, partitions);

      Autoscaler autoscaler =
          new Autoscaler(null, new AutoscalerMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
      ScalePolicy policy =
          new ScalePolicy(1, partitions, 30, 10_000L, Duration.ZERO, Duration.ofSeconds(300));
      for (String topic : topics) {
        String[] parts = topic.split("\\.");
        autoscaler.track(
            new ResourceID(parts[2], parts[1]),
            new AutoscaleTarget(
                parts[1], parts[2], bootstrap, topic, topic, parts[2] + "-worker", policy, 1, null),
            true);
      }
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      autoscaler.measureAll(); // warm-up: connections, metadata, JIT
      long cpuTotal = 0;
      long requestsTotal = 0;
      long wallTotal = 0;
      for (int r = 1; r <= rounds; r++) {
        long cpu0 = measuringCpu(mx);
        long req0 = autoscaler.adminRequests();
        long t0 = System.nanoTime();
        autoscaler.measureAll();
        long wall = System.nanoTime() - t0;
        long cpu = measuringCpu(mx) - cpu0;
        long req = autoscaler.adminRequests() - req0;
        cpuTotal += cpu;
        requestsTotal += req;
        wallTotal += wall;
        System.out.printf(
            "round %2d: wall %5.1f ms, measuring threads CPU %5.1f ms, Admin requests %d%n",
            r, wall / 1e6, cpu / 1e6, req);
        Thread.sleep(200);
      }
      double period = Autoscaler.PERIOD.toMillis();
      double cpuPerRound = cpuTotal / 1e6 / rounds;
      double reqPerRound = (double) requestsTotal / rounds;
      System.out.printf(
          "%d pipelines x %d partitions, %d rounds: mean wall %.1f ms, CPU %.1f ms per round"
              + " = %.2f%% of one core at a %d s period; %.1f Admin requests per round = %.2f/s"
              + " in total, %.5f/s per pipeline%n",
          pipelines,
          partitions,
          rounds,
          wallTotal / 1e6 / rounds,
          cpuPerRound,
          100 * cpuPerRound / period,
          Autoscaler.PERIOD.toSeconds(),
          reqPerRound,
          reqPerRound / (period / 1000),
          reqPerRound / (period / 1000) / pipelines);
      autoscaler.close();
    }
  }

  /** CPU time of this thread (it runs measureAll) and of the Admin clients' network threads. */
  private static long measuringCpu(ThreadMXBean mx) {
    long total = mx.getCurrentThreadCpuTime();
    for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("kafka-admin-client-thread")) {
        total += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  private static void prepare(String bootstrap, List<String> topics, int partitions)
      throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
      long t0 = System.nanoTime();
      admin
          .createTopics(topics.stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList())
          .all()
          .get(180, TimeUnit.SECONDS);
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
      try (var producer =
          new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
        byte[] v = "{\"msg\":\"x\"}".getBytes();
        for (String t : topics) {
          for (int i = 0; i < 20 * partitions; i++) {
            producer.send(new ProducerRecord<>(t, i % partitions, null, v));
          }
        }
        producer.flush();
      }
      // Half the groups have committed offsets (10 behind the end); the rest start from earliest.
      for (int i = 0; i < topics.size(); i += 2) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (int q = 0; q < partitions; q++) {
          offsets.put(new TopicPartition(topics.get(i), q), new OffsetAndMetadata(10));
        }
        admin.alterConsumerGroupOffsets(topics.get(i), offsets).all().get(30, TimeUnit.SECONDS);
      }
      System.out.printf(
          "prepared %d topics x %d partitions in %.1f s%n",
          topics.size(), partitions, (System.nanoTime() - t0) / 1e9);
    }
  }
}
