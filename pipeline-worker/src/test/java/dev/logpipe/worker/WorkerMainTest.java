package dev.logpipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logpipe.worker.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the worker finds its config, and how it reads numbers from its environment. */
class WorkerMainTest {
  private static final Map<String, String> ENV =
      Map.of("LOGPIPE_PIPELINE_CONFIG", "/etc/logpipe/pipeline.json");

  @Test
  void configFromTheFlagOrElseTheEnvironment() {
    assertThat(WorkerMain.configFile(List.of("--config", "a.json"), Map.of()))
        .isEqualTo(Path.of("a.json"));
    assertThat(WorkerMain.configFile(List.of(), ENV))
        .isEqualTo(Path.of("/etc/logpipe/pipeline.json"));
    assertThat(WorkerMain.configFile(List.of("--config", "a.json"), ENV))
        .isEqualTo(Path.of("a.json"));
  }

  @Test
  void aMissingOrIncompleteConfigArgumentIsAUsageError() {
    assertThatThrownBy(() -> WorkerMain.configFile(List.of(), Map.of()))
        .isInstanceOf(WorkerMain.UsageException.class)
        .hasMessage("no config: pass --config FILE or set LOGPIPE_PIPELINE_CONFIG");
    assertThatThrownBy(
            () -> WorkerMain.configFile(List.of(), Map.of("LOGPIPE_PIPELINE_CONFIG", " ")))
        .hasMessage("no config: pass --config FILE or set LOGPIPE_PIPELINE_CONFIG");
    assertThatThrownBy(() -> WorkerMain.configFile(List.of("--config"), ENV))
        .hasMessage("--config needs a file name");
    assertThatThrownBy(() -> WorkerMain.configFile(List.of("--confg", "a.json"), ENV))
        .hasMessage("unknown argument: --confg");
  }

  @Test
  void environmentNumbersAreCheckedAndNamed() {
    assertThat(ConsumeCommand.number(Map.of(), "LOGPIPE_SHUTDOWN_GRACE_SECONDS", 20, 1, 3600))
        .isEqualTo(20);
    assertThat(
            ConsumeCommand.number(
                Map.of("LOGPIPE_SHUTDOWN_GRACE_SECONDS", " 45 "),
                "LOGPIPE_SHUTDOWN_GRACE_SECONDS",
                20,
                1,
                3600))
        .isEqualTo(45);
    for (String bad : List.of("20s", "0", "-1", "99999")) {
      assertThatThrownBy(
              () ->
                  ConsumeCommand.number(
                      Map.of("LOGPIPE_SHUTDOWN_GRACE_SECONDS", bad),
                      "LOGPIPE_SHUTDOWN_GRACE_SECONDS",
                      20,
                      1,
                      3600))
          .isInstanceOf(ConfigException.class)
          .hasMessage(
              "invalid pipeline config: LOGPIPE_SHUTDOWN_GRACE_SECONDS: must be a whole number"
                  + " between 1 and 3600, was "
                  + bad);
    }
  }
}
