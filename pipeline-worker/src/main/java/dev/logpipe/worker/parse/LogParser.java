package dev.logpipe.worker.parse;

import dev.logpipe.worker.config.PipelineConfig;

/**
 * Turns one Kafka record value into a normalised {@link dev.logpipe.worker.model.LogEvent} or a
 * {@link dev.logpipe.worker.model.Rejection}. Built once per pipeline; implementations are
 * thread-safe and never throw on record content.
 */
public interface LogParser {

  /**
   * Parses one record. {@code kafkaTimestampMs} becomes the event time when the record has no
   * usable timestamp of its own, so replays yield identical rows.
   */
  ParseResult parse(byte[] value, long kafkaTimestampMs);

  /** The parser for a pipeline's input format, with the default limits. */
  static LogParser forFormat(PipelineConfig.Format format) {
    return forFormat(format, ParseLimits.DEFAULTS);
  }

  /** The parser of a pipeline: its format, and timestamp bounds from its format and table. */
  static LogParser forPipeline(PipelineConfig config) {
    return forFormat(config.format(), ParseLimits.DEFAULTS, TimestampBounds.of(config));
  }

  /** The parser for a pipeline's input format; rejects an unknown type or a bad pattern. */
  static LogParser forFormat(PipelineConfig.Format format, ParseLimits limits) {
    return forFormat(format, limits, TimestampBounds.DEFAULTS);
  }

  /** With timestamp bounds of its own. */
  static LogParser forFormat(
      PipelineConfig.Format format, ParseLimits limits, TimestampBounds bounds) {
    String type = format == null || format.type() == null ? "json" : format.type();
    FieldMapping mapping = new FieldMapping(format == null ? null : format.fields());
    EventNormalizer normalizer =
        new EventNormalizer(format == null ? null : format.defaultService(), bounds);
    return switch (type) {
      case "json" -> new JsonLogParser(mapping, normalizer, limits);
      case "logfmt" -> new LogfmtLogParser(mapping, normalizer, limits);
      case "regex" -> new RegexLogParser(format.pattern(), mapping, normalizer, limits);
      // Text has no source keys to map: its fields come from the line's own shape.
      case "text" -> new TextLogParser(new FieldMapping(null), normalizer, limits);
      default -> throw new IllegalArgumentException("format.type: unknown format " + type);
    };
  }
}
