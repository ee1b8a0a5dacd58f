package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Error-burst detection: a window whose ERROR-or-worse count exceeds an EWMA baseline by {@code
 * sigma} standard deviations (and at least {@code minErrors}) marks its errors with {@code score}.
 * Omitted values use the worker's defaults (PipelineConfigLoader.DEFAULT_BURST).
 */
public class BurstSpec {
  @JsonPropertyDescription("Detect error bursts (default true).")
  private Boolean enabled;

  @Min(1)
  @Max(3600)
  @JsonPropertyDescription("Window length in seconds (default 10).")
  private Integer windowSeconds;

  @Min(0.001)
  @Max(1)
  @JsonPropertyDescription("EWMA smoothing factor in (0, 1] (default 0.3).")
  private Double alpha;

  @Min(0.1)
  @Max(100)
  @JsonPropertyDescription(
      "Standard deviations above the baseline that count as a burst (default 4).")
  private Double sigma;

  @Min(1)
  @Max(1_000_000)
  @JsonPropertyDescription("Fewest errors in a window that can be a burst (default 20).")
  private Integer minErrors;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Score added to each error in a burst window (default 40).")
  private Integer score;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Integer getWindowSeconds() {
    return windowSeconds;
  }

  public void setWindowSeconds(Integer windowSeconds) {
    this.windowSeconds = windowSeconds;
  }

  public Double getAlpha() {
    return alpha;
  }

  public void setAlpha(Double alpha) {
    this.alpha = alpha;
  }

  public Double getSigma() {
    return sigma;
  }

  public void setSigma(Double sigma) {
    this.sigma = sigma;
  }

  public Integer getMinErrors() {
    return minErrors;
  }

  public void setMinErrors(Integer minErrors) {
    this.minErrors = minErrors;
  }

  public Integer getScore() {
    return score;
  }

  public void setScore(Integer score) {
    this.score = score;
  }
}
