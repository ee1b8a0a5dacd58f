package dev.logpipe.sandbox.generator;

import dev.logpipe.sandbox.Durations;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * {@code log-generator (--kafka BOOTSTRAP --topic TOPIC | --gateway URL --token TOKEN) [--rate N]
 * [--services a,b,c] [--error-rate 0.02] [--burst-every 45s] [--burst-length 5s] [--burst-rate 60]
 * [--malformed-every 500] [--duration 60s]}: realistic JSON logs with periodic error bursts, on its
 * own. Prints what it sent every five seconds.
 */
public final class LogGeneratorMain {
  private LogGeneratorMain() {}

  public static void main(String[] args) throws Exception {
    GeneratorSettings s = GeneratorSettings.defaults();
    String kafka = null;
    String topic = null;
    String gateway = null;
    String token = System.getenv("LOGPIPE_GATEWAY_TOKEN");
    Duration duration = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--kafka" -> kafka = value;
        case "--topic" -> topic = value;
        case "--gateway" -> gateway = value;
        case "--token" -> token = value;
        case "--rate" -> s = s.withRate(Integer.parseInt(value));
        case "--services" ->
            s = s.withServices(Arrays.stream(value.split(",")).map(String::trim).toList());
        case "--error-rate" ->
            s =
                new GeneratorSettings(
                    s.ratePerSecond(),
                    s.services(),
                    Double.parseDouble(value),
                    s.burstEvery(),
                    s.burstLength(),
                    s.burstErrorsPerSecond(),
                    s.malformedEvery(),
                    s.seed());
        case "--burst-every" ->
            s = s.withBurst(Durations.parse(value), s.burstLength(), s.burstErrorsPerSecond());
        case "--burst-length" ->
            s = s.withBurst(s.burstEvery(), Durations.parse(value), s.burstErrorsPerSecond());
        case "--burst-rate" ->
            s = s.withBurst(s.burstEvery(), s.burstLength(), Integer.parseInt(value));
        case "--malformed-every" -> s = s.withMalformedEvery(Integer.parseInt(value));
        case "--duration" -> duration = Durations.parse(value);
        default -> usage("unknown option " + args[i]);
      }
      i++;
    }
    LogSink sink;
    if (kafka != null && topic != null) {
      sink = new KafkaLogSink(kafka, topic);
    } else if (gateway != null && token != null) {
      sink = new GatewayLogSink(gateway, token);
    } else {
      usage("give --kafka and --topic, or --gateway and --token");
      return;
    }
    try (LogGenerator generator = new LogGenerator(sink, s, Clock.systemUTC()).start()) {
      long end =
          duration == null ? Long.MAX_VALUE : System.currentTimeMillis() + duration.toMillis();
      while (System.currentTimeMillis() < end) {
        Thread.sleep(Math.min(5000, Math.max(1, end - System.currentTimeMillis())));
        LogGenerator.Counts c = generator.counts();
        System.out.printf(
            "sent %d lines (%d errors, %d in bursts, %d malformed)%s%n",
            c.valid() + c.malformed(),
            c.errors(),
            c.burstErrors(),
            c.malformed(),
            generator.burstingService() == null
                ? ""
                : "; burst from " + generator.burstingService());
      }
    }
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println(
        "usage: log-generator (--kafka BOOTSTRAP --topic TOPIC | --gateway URL --token TOKEN)"
            + " [--rate N] [--services a,b] [--error-rate F] [--burst-every 45s] [--burst-length 5s]"
            + " [--burst-rate N] [--malformed-every N] [--duration 60s]");
    System.exit(2);
  }
}
