package dev.logpipe.devservices.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code LOGPIPE_CLICKHOUSE_URL}: an external server, credentials from the URL's user info. */
class ExternalClickHouseTest {

  @Test
  void credentialsComeFromTheUserInfoAndNeverReachTheEndpoint() {
    ClickHouseDevService ch = ClickHouseDevService.external("http://admin:s3cret@ch.example:8123");
    assertThat(ch.isExternal()).isTrue();
    assertThat(ch.isRunning()).isTrue();
    assertThat(ch.endpoint()).isEqualTo("http://ch.example:8123");
    assertThat(ch.user()).isEqualTo("admin");
    assertThat(ch.password()).isEqualTo("s3cret");
  }

  @Test
  void withoutUserInfoItIsTheDefaultUserWithoutPassword() {
    ClickHouseDevService ch = ClickHouseDevService.external("https://ch.example");
    assertThat(ch.endpoint()).isEqualTo("https://ch.example");
    assertThat(ch.user()).isEqualTo("default");
    assertThat(ch.password()).isEmpty();
  }

  @Test
  void anExternalServerIsNeverStartedOrKilled() {
    ClickHouseDevService ch = ClickHouseDevService.external("http://127.0.0.1:1");
    ch.start(); // starts nothing
    assertThatThrownBy(ch::kill)
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("cannot kill an external ClickHouse at http://127.0.0.1:1");
  }
}
