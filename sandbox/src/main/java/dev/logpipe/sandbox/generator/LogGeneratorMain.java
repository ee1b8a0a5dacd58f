package dev.logpipe.sandbox.generator;

import dev.logpipe.sandbox.Durations;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * {@code bin/sandbox loggen (--kafka BOOTSTRAP --topic TOPIC | --gateway URL --token TOKEN) [--rate
 * N] [--count N] [--duration 60s] [--services a,b,c] [--error-rate 0.02] [--burst-every 45s]
 * [--burst-length 5s] [--burst-rate 60] [--malformed-every 500]}: realistic JSON logs with periodic
 * error bursts, on its own. Prints what was acknowledged every five seconds and at the end; with
 * {@code --count} it stops after exactly that many lines. Exits 0 when every line was acknowledged,
 * 1 when some were not, 2 on a usage error.
 */
public final class LogGeneratorMain {
  static final String USAGE =
      "usage: bin/sandbox loggen (--kafka BOOTSTRAP --topic TOPIC | --gateway URL --token TOKEN)\n"
          + "         [--rate 200] [--count N] [--duration 60s] [--services a,b,c]"
          + " [--error-rate 0.02]\n"
          + "         [--burst-every 45s] [--burst-length 5s] [--burst-rate 60]"
          + " [--malformed-every 500]\n"
          + "  The token may come from LOGPIPE_GATEWAY_TOKEN instead of --token. A gateway rejects"
          + " broken lines,\n  so --malformed-every applies to Kafka only. Without --count or"
          + " --duration it runs until Ctrl-C.";

  private LogGeneratorMain() {}

  /** What the command line asked for. */
  record Options(
      String kafka,
      String topic,
      String gateway,
      String token,
      GeneratorSettings settings,
      Long count,
      Duration duration) {

    static Options parse(String[] args, String tokenFromEnv) {
      GeneratorSettings s = GeneratorSettings.defaults();
      String kafka = null;
      String topic = null;
      String gateway = null;
      String token = tokenFromEnv;
      Long count = null;
      Duration duration = null;
      for (int i = 0; i < args.length; i += 2) {
        String option = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(option + " needs a value");
        }
        String value = args[i + 1];
        try {
          switch (option) {
            case "--kafka" -> kafka = value;
            case "--topic" -> topic = value;
            case "--gateway" -> gateway = value;
            case "--token" -> token = value;
            case "--rate" -> s = s.withRate(positive(option, value));
            case "--count" -> count = (long) positive(option, value);
            case "--duration" -> duration = Durations.parse(value);
            case "--services" ->
                s = s.withServices(Arrays.stream(value.split(",")).map(String::trim).toList());
            case "--error-rate" -> s = s.withErrorRate(Double.parseDouble(value));
            case "--burst-every" ->
                s = s.withBurst(Durations.parse(value), s.burstLength(), s.burstErrorsPerSecond());
            case "--burst-length" ->
                s = s.withBurst(s.burstEvery(), Durations.parse(value), s.burstErrorsPerSecond());
            case "--burst-rate" ->
                s = s.withBurst(s.burstEvery(), s.burstLength(), Integer.parseInt(value));
            case "--malformed-every" -> s = s.withMalformedEvery(Integer.parseInt(value));
            default -> throw new IllegalArgumentException("unknown option " + option);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(option + " needs a number, was '" + value + "'");
        }
      }
      if (!((kafka != null && topic != null) || (gateway != null && token != null))) {
        throw new IllegalArgumentException("give --kafka and --topic, or --gateway and --token");
      }
      if (s.services().isEmpty() || s.services().stream().anyMatch(String::isEmpty)) {
        throw new IllegalArgumentException("--services needs service names, comma-separated");
      }
      return new Options(kafka, topic, gateway, token, s, count, duration);
    }

    private static int positive(String option, String value) {
      int n = Integer.parseInt(value);
      if (n <= 0) {
        throw new IllegalArgumentException(option + " must be positive, was " + n);
      }
      return n;
    }

    LogSink sink() {
      return kafka != null ? new KafkaLogSink(kafka, topic) : new GatewayLogSink(gateway, token);
    }
  }

  public static void main(String[] args) throws Exception {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.println(USAGE);
      return;
    }
    // The person at the terminal reads the counts, not the Kafka client's INFO lines.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    Options options;
    try {
      options = Options.parse(args, System.getenv("LOGPIPE_GATEWAY_TOKEN"));
    } catch (IllegalArgumentException e) {
      System.err.println("loggen: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    System.exit(run(options, System.out));
  }

  static int run(Options options, PrintStream out) throws InterruptedException {
    LogGenerator generator =
        new LogGenerator(options.sink(), options.settings(), Clock.systemUTC())
            .start(options.count() == null ? Long.MAX_VALUE : options.count());
    try {
      long end =
          options.duration() == null
              ? Long.MAX_VALUE
              : System.currentTimeMillis() + options.duration().toMillis();
      while (System.currentTimeMillis() < end) {
        long wait = Math.min(5000, Math.max(1, end - System.currentTimeMillis()));
        if (generator.awaitFinished(Duration.ofMillis(wait))) {
          break;
        }
        print(out, generator.counts(), generator.burstingService());
      }
    } finally {
      generator.close();
    }
    LogGenerator.Counts c = generator.counts();
    out.print("done: ");
    print(out, c, null);
    boolean complete = options.count() == null || c.sent() == options.count();
    return c.failed() == 0 && complete ? 0 : 1;
  }

  private static void print(PrintStream out, LogGenerator.Counts c, String bursting) {
    out.printf(
        "sent %d lines (%d errors, %d in bursts, %d malformed), %d not acknowledged%s%n",
        c.sent(),
        c.errors(),
        c.burstErrors(),
        c.malformed(),
        c.failed(),
        bursting == null ? "" : "; burst from " + bursting);
  }
}
