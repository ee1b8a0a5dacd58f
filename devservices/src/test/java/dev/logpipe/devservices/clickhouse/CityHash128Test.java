package dev.logpipe.devservices.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.data.ClickHouseCityHash;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CityHash128Test {

  @Test
  void agreesWithTheClickHouseClientsCopyForEveryLengthClass() {
    Random random = new Random(42);
    for (int len = 0; len < 2100; len += len < 300 ? 1 : 37) {
      byte[] data = new byte[len + 7];
      random.nextBytes(data);
      assertThat(CityHash128.hash(data, 3, len))
          .as("length %d", len)
          .containsExactly(ClickHouseCityHash.cityHash128(data, 3, len));
    }
  }
}
