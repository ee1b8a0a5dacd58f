package dev.logpipe.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.worker.config.PipelineConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the lag the probe measured is exported: per partition, and the worker's total and max. */
class WorkerMetricsLagTest {

  @Test
  void lagIsExportedPerPartitionAndInTotalAndALeftPartitionDisappears() {
    WorkerMetrics metrics = new WorkerMetrics(new PipelineConfig.Pipeline("ns", "p"));
    metrics.lag(
        Map.of(
            0, new WorkerMetrics.PartitionLag(1_200, 14.5),
            2, new WorkerMetrics.PartitionLag(300, 3.25)));
    String scrape = metrics.scrape();
    assertThat(scrape)
        .containsPattern("(?m)^logpipe_consumer_lag\\{[^}]*\\} 1500(\\.0)?$")
        .containsPattern("(?m)^logpipe_consumer_lag_seconds\\{[^}]*\\} 14\\.5$")
        .containsPattern("(?m)^logpipe_partition_lag\\{[^}]*partition=\"0\"[^}]*\\} 1200(\\.0)?$")
        .containsPattern("(?m)^logpipe_partition_lag\\{[^}]*partition=\"2\"[^}]*\\} 300(\\.0)?$")
        .containsPattern(
            "(?m)^logpipe_partition_lag_seconds\\{[^}]*partition=\"2\"[^}]*\\} 3\\.25$");

    // Partition 0 moved to another worker: its series goes, so sums over workers stay right.
    metrics.lag(Map.of(2, new WorkerMetrics.PartitionLag(0, 0)));
    assertThat(metrics.scrape())
        .doesNotContain("partition=\"0\"")
        .containsPattern("(?m)^logpipe_consumer_lag\\{[^}]*\\} 0(\\.0)?$");
  }
}
