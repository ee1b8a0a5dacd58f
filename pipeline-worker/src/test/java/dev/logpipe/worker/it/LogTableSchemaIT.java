package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.worker.config.LogTableSchema;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The DDL the operator runs, against a real ClickHouse: create, migrate (twice), drop. */
@WithDevServices(DevServices.Kind.CLICKHOUSE)
class LogTableSchemaIT {

  @Test
  void createsMigratesRetentionIdempotentlyAndDrops(DevServices services) throws Exception {
    try (Client client = TestPipeline.clickHouse(services)) {
      for (String sql : LogTableSchema.create("logs_schema", "orders", 14)) {
        run(client, sql);
      }
      for (int i = 0; i < 2; i++) {
        for (String sql : LogTableSchema.migrate("logs_schema", "orders", 30)) {
          run(client, sql);
        }
      }
      assertThat(createQuery(client, "orders")).contains("toIntervalDay(30)");
      assertThat(createQuery(client, "orders_stats"))
          .contains("SummingMergeTree")
          .contains("toIntervalDay(30)");
      for (String sql : LogTableSchema.drop("logs_schema", "orders")) {
        run(client, sql);
      }
      assertThat(client.queryAll("SELECT name FROM system.tables WHERE database = 'logs_schema'"))
          .isEmpty();
    }
  }

  private static void run(Client client, String sql) throws Exception {
    client.execute(sql).get(30, TimeUnit.SECONDS).close();
  }

  private static String createQuery(Client client, String table) {
    return client
        .queryAll(
            "SELECT create_table_query FROM system.tables WHERE database = 'logs_schema' AND name = '"
                + table
                + "'")
        .get(0)
        .getString(1);
  }
}
