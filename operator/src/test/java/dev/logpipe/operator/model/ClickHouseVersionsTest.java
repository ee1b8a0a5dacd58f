package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClickHouseVersionsTest {
  @Test
  void acceptsTwentyThreeEightAndNewerOnly() {
    assertThat(ClickHouseVersions.isSupported("23.8.1.2992")).isTrue();
    assertThat(ClickHouseVersions.isSupported("24.3")).isTrue();
    assertThat(ClickHouseVersions.isSupported("26.7.1")).isTrue();
    assertThat(ClickHouseVersions.isSupported("23.7.9")).isFalse();
    assertThat(ClickHouseVersions.isSupported("18.16.1")).isFalse();
    assertThat(ClickHouseVersions.isSupported("garbage")).isFalse();
    assertThat(ClickHouseVersions.isSupported(null)).isFalse();
  }
}
