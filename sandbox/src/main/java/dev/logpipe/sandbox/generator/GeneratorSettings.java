package dev.logpipe.sandbox.generator;

import java.time.Duration;
import java.util.List;

/**
 * How the log generator behaves.
 *
 * @param ratePerSecond normal lines per second (live mode)
 * @param errorRate share of normal lines that are errors
 * @param burstEvery time between error bursts (zero: no bursts)
 * @param burstLength how long each burst lasts
 * @param burstErrorsPerSecond extra error lines per second from one service during a burst
 * @param malformedEvery every n-th line is broken (0: none)
 */
public record GeneratorSettings(
    int ratePerSecond,
    List<String> services,
    double errorRate,
    Duration burstEvery,
    Duration burstLength,
    int burstErrorsPerSecond,
    int malformedEvery,
    long seed) {

  public static final List<String> SERVICES =
      List.of("payments", "checkout", "search", "auth", "inventory");

  public static GeneratorSettings defaults() {
    return new GeneratorSettings(
        200, SERVICES, 0.02, Duration.ofSeconds(45), Duration.ofSeconds(5), 60, 500, 42);
  }

  public GeneratorSettings withRate(int rate) {
    return new GeneratorSettings(
        rate,
        services,
        errorRate,
        burstEvery,
        burstLength,
        burstErrorsPerSecond,
        malformedEvery,
        seed);
  }

  public GeneratorSettings withServices(List<String> list) {
    return new GeneratorSettings(
        ratePerSecond,
        list,
        errorRate,
        burstEvery,
        burstLength,
        burstErrorsPerSecond,
        malformedEvery,
        seed);
  }

  public GeneratorSettings withBurst(Duration every, Duration length, int errorsPerSecond) {
    return new GeneratorSettings(
        ratePerSecond, services, errorRate, every, length, errorsPerSecond, malformedEvery, seed);
  }

  public GeneratorSettings withErrorRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("the error rate must be between 0 and 1, was " + rate);
    }
    return new GeneratorSettings(
        ratePerSecond,
        services,
        rate,
        burstEvery,
        burstLength,
        burstErrorsPerSecond,
        malformedEvery,
        seed);
  }

  public GeneratorSettings withMalformedEvery(int n) {
    return new GeneratorSettings(
        ratePerSecond, services, errorRate, burstEvery, burstLength, burstErrorsPerSecond, n, seed);
  }
}
