package dev.logpipe.worker.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

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

  /**
   * Unknown keys are ignored (a newer operator may write fields an older worker does not know),
   * except inside a rule condition: an unknown operator there would silently change the rule.
   */
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .addHandler(new UnknownOperatorHandler());

  private PipelineConfigLoader() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static PipelineConfig load(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      String why = e instanceof NoSuchFileException ? "no such file" : e.toString();
      throw new ConfigException(List.of("cannot read config file " + file + ": " + why));
    }
  }

  public static PipelineConfig parse(String json) {
    if (json == null || json.isBlank()) {
      throw new ConfigException(List.of("config is empty"));
    }
    PipelineConfig raw;
    try {
      raw = MAPPER.readValue(json, PipelineConfig.class);
    } catch (JsonProcessingException e) {
      throw new ConfigException(List.of(describe(e)));
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

  /**
   * Broken JSON as where it broke (line, column); a value of the wrong shape as {@code <json path>:
   * <what was expected>}, the path naming the field.
   */
  static String describe(JsonProcessingException failure) {
    if (!(failure instanceof JsonMappingException e)
        || failure.getCause() instanceof JsonParseException) {
      JsonProcessingException syntax =
          failure.getCause() instanceof JsonParseException p ? p : failure;
      JsonLocation at = syntax.getLocation();
      return "not valid pipeline config JSON"
          + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
          + ": "
          + syntax.getOriginalMessage();
    }
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    String at = path.length() == 0 ? "config" : path.toString();
    if (e instanceof UnrecognizedPropertyException u) {
      return at
          + ": unknown key, expected one of "
          + new TreeSet<>(u.getKnownPropertyIds().stream().map(String::valueOf).toList());
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      String was =
          e instanceof InvalidFormatException f && f.getValue() != null
              ? ", was \"" + f.getValue() + "\""
              : "";
      return at + ": expected " + expected(m.getTargetType()) + was;
    }
    return at + ": " + e.getOriginalMessage();
  }

  private static String expected(Class<?> type) {
    if (type == String.class) {
      return "a string";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "an object";
    }
    return type.getSimpleName();
  }

  /** Fails on an unknown key inside {@link PipelineConfig.Condition} (a misspelt operator). */
  private static final class UnknownOperatorHandler extends DeserializationProblemHandler {
    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt,
        JsonParser p,
        JsonDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName)
        throws IOException {
      Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
      if (type == PipelineConfig.Condition.class) {
        throw UnrecognizedPropertyException.from(
            p, beanOrClass, propertyName, deserializer.getKnownPropertyNames());
      }
      return false;
    }
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
