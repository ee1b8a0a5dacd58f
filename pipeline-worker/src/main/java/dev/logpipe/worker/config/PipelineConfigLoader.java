package dev.logpipe.worker.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a {@link PipelineConfig} from JSON, fills defaults, and validates it. */
public final class PipelineConfigLoader {
  /** Environment variable naming the config file when {@code --config} is not given. */
  public static final String CONFIG_ENV = "LOGPIPE_PIPELINE_CONFIG";

  public static final PipelineConfig.Batch DEFAULT_BATCH =
      new PipelineConfig.Batch(50_000, 64L * 1024 * 1024, 1_000);
  public static final PipelineConfig.Burst DEFAULT_BURST =
      new PipelineConfig.Burst(true, 10, 0.3, 4.0, 20, 40);

  public static final PipelineConfig.Gateway DEFAULT_GATEWAY =
      new PipelineConfig.Gateway(60, 31, 1_000, 10, 16L * 1024 * 1024);

  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private PipelineConfigLoader() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static PipelineConfig load(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException(List.of("cannot read config file " + file + ": " + e.getMessage()));
    }
  }

  public static PipelineConfig parse(String json) {
    PipelineConfig raw;
    try {
      raw = MAPPER.readValue(json, PipelineConfig.class);
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          List.of("not valid pipeline config JSON: " + e.getOriginalMessage()));
    }
    if (raw == null) {
      throw new ConfigException(List.of("config is empty"));
    }
    PipelineConfig config = withDefaults(raw);
    List<String> errors = config.validate();
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return config;
  }

  public static String toJson(PipelineConfig config) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise pipeline config", e);
    }
  }

  /**
   * Fills what may be omitted: json format, the default rule set with burst detection, batch and
   * gateway limits.
   */
  public static PipelineConfig withDefaults(PipelineConfig c) {
    PipelineConfig.Format format =
        c.format() != null ? c.format() : new PipelineConfig.Format("json", null, null, null);
    PipelineConfig.Anomalies anomalies =
        c.anomalies() != null
            ? c.anomalies()
            : new PipelineConfig.Anomalies(true, List.of(), DEFAULT_BURST);
    if (anomalies.rules() == null) {
      anomalies = new PipelineConfig.Anomalies(anomalies.defaults(), List.of(), anomalies.burst());
    }
    PipelineConfig.Batch batch = c.batch() != null ? c.batch() : DEFAULT_BATCH;
    PipelineConfig.Gateway gateway = c.gateway() != null ? c.gateway() : DEFAULT_GATEWAY;
    return new PipelineConfig(
        c.pipeline(), c.kafka(), c.clickhouse(), c.redis(), format, anomalies, batch, gateway);
  }
}
