package dev.logpipe.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the config file: what a broken or unreadable file reports. JSON only, by design. */
class PipelineConfigLoaderTest {
  @TempDir Path dir;

  private static List<String> errors(Runnable load) {
    try {
      load.run();
    } catch (ConfigException e) {
      return e.errors();
    }
    throw new AssertionError("accepted");
  }

  @Test
  void loadsAValidFileAndRoundTripsThroughToJson() throws Exception {
    Path file = Files.writeString(dir.resolve("pipeline.json"), PipelineConfigValidationTest.VALID);
    PipelineConfig loaded = PipelineConfigLoader.load(file);
    assertThat(loaded.kafka().deadLetterTopic()).isEqualTo("logpipe.team-a.payments.dlq");
    assertThat(PipelineConfigLoader.parse(PipelineConfigLoader.toJson(loaded))).isEqualTo(loaded);
  }

  @Test
  void timestampBoundsAreReadAndChecked() {
    String json =
        PipelineConfigValidationTest.VALID
            .replace("\"table\": \"payments\"}", "\"table\": \"payments\", \"retentionDays\": 14}")
            .replace(
                "\"format\": {\"type\": \"json\",",
                "\"format\": {\"type\": \"json\", \"maxFutureSkewSeconds\": 600,");
    PipelineConfig c = PipelineConfigLoader.parse(json);
    assertThat(c.clickhouse().retentionDays()).isEqualTo(14);
    assertThat(c.format().maxFutureSkewSeconds()).isEqualTo(600L);
    assertThat(PipelineConfigLoader.parse(PipelineConfigLoader.toJson(c))).isEqualTo(c);
    assertThat(
            errors(
                () ->
                    PipelineConfigLoader.parse(
                        json.replace(
                            "\"maxFutureSkewSeconds\": 600", "\"maxFutureSkewSeconds\": 0"))))
        .containsExactly("format.maxFutureSkewSeconds: must be between 1 and 31622400, was 0");
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.json");
    assertThat(errors(() -> PipelineConfigLoader.load(missing)))
        .containsExactly("cannot read config file " + missing + ": no such file");
  }

  @Test
  void brokenJsonReportsLineAndColumn() {
    String json = "{\n  \"kafka\": {\"topic\": \"t\",}\n}";
    assertThat(errors(() -> PipelineConfigLoader.parse(json)))
        .singleElement()
        .asString()
        .startsWith("not valid pipeline config JSON at line 2, column 26: ")
        .contains("double-quote to start field name");
  }

  @Test
  void truncatedJsonIsRejected() {
    String json = PipelineConfigValidationTest.VALID.substring(0, 120);
    assertThat(errors(() -> PipelineConfigLoader.parse(json)))
        .singleElement()
        .asString()
        .startsWith("not valid pipeline config JSON at line ")
        .contains("end-of-input");
  }

  @Test
  void yamlIsNotAcceptedTheOperatorWritesJson() {
    String yaml = "kafka:\n  topic: logs\n";
    assertThat(errors(() -> PipelineConfigLoader.parse(yaml)))
        .singleElement()
        .asString()
        .startsWith("not valid pipeline config JSON at line 1, column ");
  }

  @Test
  void emptyOrNullOrNotAnObject() {
    assertThat(errors(() -> PipelineConfigLoader.parse(""))).containsExactly("config is empty");
    assertThat(errors(() -> PipelineConfigLoader.parse(" \n"))).containsExactly("config is empty");
    assertThat(errors(() -> PipelineConfigLoader.parse("null"))).containsExactly("config is empty");
    assertThat(errors(() -> PipelineConfigLoader.parse("[1, 2]")))
        .containsExactly("config: expected an object");
  }
}
