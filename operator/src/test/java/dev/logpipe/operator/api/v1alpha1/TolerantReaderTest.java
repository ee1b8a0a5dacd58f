package dev.logpipe.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * Specs read as the informers read them (fabric8's own serialization, which fails on unknown
 * properties by default): nothing a user writes can make the read fail.
 */
class TolerantReaderTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static LogPipeline read(String spec) {
    return SERIALIZATION.unmarshal(
        "{\"apiVersion\":\"logpipe.dev/v1alpha1\",\"kind\":\"LogPipeline\","
            + "\"metadata\":{\"name\":\"p\",\"namespace\":\"n\"},\"spec\":"
            + spec
            + "}",
        LogPipeline.class);
  }

  @Test
  void unknownFieldsAnywhereAreIgnoredAndListedByPath() {
    LogPipeline p =
        read(
            "{\"format\":{\"type\":\"logfmt\",\"colour\":\"blue\"},\"topic\":{\"partitions\":6,"
                + "\"compaction\":{\"enabled\":true}},\"anomalies\":{\"rules\":[{\"name\":\"a\","
                + "\"score\":5,\"when\":{\"field\":\"level\",\"eq\":\"ERROR\",\"not\":true}}]},"
                + "\"sharding\":[1,2]}");

    assertThat(p.getSpec().getFormat().getType()).isEqualTo(FormatType.logfmt);
    assertThat(p.getSpec().getTopic().getPartitions()).isEqualTo(6);
    assertThat(p.getSpec().getAnomalies().getRules().get(0).getWhen().getEq()).isEqualTo("ERROR");
    assertThat(p.getSpec().getSpecProblems().ignoredFields())
        .containsExactly(
            "spec.anomalies.rules[0].when.not",
            "spec.format.colour",
            "spec.sharding",
            "spec.topic.compaction");
    assertThat(p.getSpec().getSpecProblems().unreadableFields()).isEmpty();
  }

  @Test
  void unreadableValuesAreListedWithWhatWasExpected() {
    LogPipeline p =
        read(
            "{\"format\":{\"type\":\"csv\"},\"topic\":{\"partitions\":\"six\"},"
                + "\"gateway\":{\"enabled\":\"yes\"}}");

    assertThat(p.getSpec().getSpecProblems().unreadableFields())
        .containsExactly(
            "spec.format.type: 'csv' is not one of [json, logfmt, regex, text]",
            "spec.topic.partitions: must be an integer, was 'six'",
            "spec.gateway.enabled: must be true or false, was 'yes'");
  }

  @Test
  void aValueJacksonRefusesOutrightIsNamed() {
    assertThat(
            read("{\"topic\":{\"replicas\":1.5}}").getSpec().getSpecProblems().unreadableFields())
        .containsExactly("spec.topic.replicas: must be an integer");
    assertThat(
            read("{\"workers\":{\"replicas\":{\"min\":1}}}")
                .getSpec()
                .getSpecProblems()
                .unreadableFields())
        .containsExactly("spec.workers.replicas: must be an integer, was an object");
    assertThat(
            read("{\"anomalies\":{\"rules\":{\"name\":\"a\"}}}")
                .getSpec()
                .getSpecProblems()
                .unreadableFields())
        .containsExactly("spec.anomalies.rules: must be a list, was an object");
  }

  @Test
  void aSpecThatIsNotAnObjectIsRefusedNotThrown() {
    LogPipeline p = read("[1,2]");

    assertThat(p.getSpec()).isNotNull();
    assertThat(p.getSpec().getSpecProblems().unreadableFields()).hasSize(1);
  }

  @Test
  void aNewerOperatorsStatusFieldsAreSkipped() {
    LogPipeline p =
        SERIALIZATION.unmarshal(
            "{\"apiVersion\":\"logpipe.dev/v1alpha1\",\"kind\":\"LogPipeline\",\"metadata\":"
                + "{\"name\":\"p\"},\"spec\":{},\"status\":{\"observedGeneration\":2,"
                + "\"shards\":3,\"topic\":{\"name\":\"t\",\"compacted\":true}}}",
            LogPipeline.class);

    assertThat(p.getStatus().getObservedGeneration()).isEqualTo(2L);
    assertThat(p.getStatus().getTopic().getName()).isEqualTo("t");
  }

  @Test
  void backendSpecsAreReadTheSameWay() {
    ClusterLogBackend b =
        SERIALIZATION.unmarshal(
            "{\"apiVersion\":\"logpipe.dev/v1alpha1\",\"kind\":\"ClusterLogBackend\",\"metadata\":"
                + "{\"name\":\"b\"},\"spec\":{\"clickhouse\":{\"url\":\"http://c:8123\","
                + "\"tls\":true},\"limits\":{\"maxPartitions\":4,\"maxShards\":2}}}",
            ClusterLogBackend.class);

    assertThat(b.getSpec().getLimits().getMaxPartitions()).isEqualTo(4);
    assertThat(b.getSpec().getSpecProblems().ignoredFields())
        .containsExactly("spec.clickhouse.tls", "spec.limits.maxShards");
  }

  @Test
  void aWellFormedSpecHasNoProblemsAndSerialisesWithoutThem() {
    LogPipeline p = read("{\"topic\":{\"partitions\":2}}");

    assertThat(p.getSpec().getSpecProblems()).isEqualTo(SpecProblems.NONE);
    assertThat(SERIALIZATION.asJson(p)).doesNotContain("specProblems").doesNotContain("ignored");
  }
}
