package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The ClickHouse table. */
public class StorageSpec {
  @Default("14")
  @Min(1)
  @Max(3650)
  @JsonPropertyDescription(
      "Days ClickHouse keeps each log row (a table TTL). Changing it migrates the table.")
  private int retentionDays = 14;

  public int getRetentionDays() {
    return retentionDays;
  }

  public void setRetentionDays(int retentionDays) {
    this.retentionDays = retentionDays;
  }
}
