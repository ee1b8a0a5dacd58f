package dev.logpipe.sandbox.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuBudgetTest {
  private static final long MS = 1_000_000L;
  private static final long SAMPLE = CpuLimiter.SAMPLE_MILLIS * MS;

  /**
   * A process that would use a whole core, sampled like the limiter does; CPU time grows in 10 ms
   * ticks, as /proc reports it. Returns the CPU time it got.
   */
  private static long busyFor(CpuBudget budget, long nanos, long startCpu, long startAt) {
    long cpu = startCpu;
    long pending = 0;
    boolean running = budget.sample(cpu, startAt);
    for (long t = startAt + SAMPLE; t <= startAt + nanos; t += SAMPLE) {
      if (running) {
        pending += SAMPLE;
      }
      long ticks = pending / (10 * MS);
      cpu += ticks * 10 * MS;
      pending -= ticks * 10 * MS;
      running = budget.sample(cpu, t);
    }
    return cpu - startCpu;
  }

  @Test
  void aBusyProcessGetsItsLimitOverTime() {
    CpuBudget budget = new CpuBudget(250);
    long used = busyFor(budget, 10_000 * MS, 0, 0);
    // 250m for 10 s is 2.5 s of CPU, within one period.
    assertThat(used)
        .isBetween(2_500 * MS - CpuBudget.PERIOD_NANOS, 2_500 * MS + CpuBudget.PERIOD_NANOS);
  }

  @Test
  void unusedAllowanceDoesNotPileUpBeyondOnePeriod() {
    CpuBudget budget = new CpuBudget(500);
    budget.sample(0, 0);
    assertThat(budget.sample(0, 60_000 * MS)).as("idle for a minute").isTrue();
    // Busy after the idle minute: no 30 s of saved CPU, only the rate plus one period.
    long used = busyFor(budget, 1_000 * MS, 0, 60_000 * MS);
    assertThat(used).isLessThanOrEqualTo(500 * MS + CpuBudget.PERIOD_NANOS / 2 + 2 * SAMPLE);
  }

  @Test
  void overspendingIsPaidBackByWaiting() {
    CpuBudget budget = new CpuBudget(100);
    budget.sample(0, 0);
    // 200 ms of CPU within one 20 ms sample (many threads): it must wait about 2 s.
    assertThat(budget.sample(200 * MS, SAMPLE)).isFalse();
    assertThat(budget.sample(200 * MS, 1_500 * MS)).isFalse();
    assertThat(budget.sample(200 * MS, 2_100 * MS)).isTrue();
  }

  @Test
  void aLimitMustBePositive() {
    assertThatThrownBy(() -> new CpuBudget(0)).hasMessageContaining("must be positive");
  }

  @Test
  void millicoresFromTheContainersLimit() {
    assertThat(PodLaunchFactory.cpuMillicores(limit("250m"))).isEqualTo(250);
    assertThat(PodLaunchFactory.cpuMillicores(limit("1"))).isEqualTo(1000);
    assertThat(PodLaunchFactory.cpuMillicores(limit("1.5"))).isEqualTo(1500);
    assertThat(PodLaunchFactory.cpuMillicores(limit("0.0001"))).isEqualTo(1);
    assertThat(PodLaunchFactory.cpuMillicores(new Container())).isZero();
  }

  private static Container limit(String cpu) {
    return new ContainerBuilder()
        .withNewResources()
        .withLimits(Map.of("cpu", new Quantity(cpu)))
        .endResources()
        .build();
  }
}
