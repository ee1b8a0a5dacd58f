package dev.logpipe.worker.consume;

import dev.logpipe.worker.detect.AnomalyScorer;
import dev.logpipe.worker.metrics.WorkerMetrics;
import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.parse.LogParser;
import dev.logpipe.worker.parse.ParseResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns one Kafka record into a row of a batch: parse, score, add; a record that does not parse
 * still advances its partition's range and goes to the dead-letter topic with the reason.
 */
final class RecordHandler {
  private final LogParser parser;
  private final AnomalyScorer scorer;
  private final DeadLetterPublisher deadLetters;
  private final WorkerMetrics metrics;

  RecordHandler(
      LogParser parser,
      AnomalyScorer scorer,
      DeadLetterPublisher deadLetters,
      WorkerMetrics metrics) {
    this.parser = parser;
    this.scorer = scorer;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
  }

  /**
   * Parses and scores one record into {@code into}; a bad record is dead-lettered when {@code
   * deadLetter} (a replay does not: the original batch had its dead letters acknowledged first).
   */
  void handle(
      ConsumerRecord<byte[], byte[]> record, long ingestedAt, Batch into, boolean deadLetter) {
    byte[] value = record.value() == null ? new byte[0] : record.value();
    ParseResult result = parser.parse(value, record.timestamp());
    if (result.isOk()) {
      LogEvent event = result.event();
      event.source(record.partition(), record.offset()).ingestedAtMs(ingestedAt);
      scorer.score(event);
      if (deadLetter && event.anomalyScore() > 0) {
        metrics.anomalies(1);
      }
      into.add(event);
    } else {
      into.skip(
          record.partition(),
          record.offset(),
          deadLetter ? deadLetters.publish(record, result.rejection()) : null);
    }
  }
}
