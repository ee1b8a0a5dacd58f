package dev.logpipe.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DDL the operator runs and the worker relies on, from fixed inputs: every statement quotes
 * validated identifiers, carries the retention, and hostile names never reach a statement. (The
 * statements running on a real server are covered by LogTableSchemaIT.)
 */
class LogTableSchemaTest {
  private static final String DB = "logs_team_payments";
  private static final String T = "edge_nginx";

  @Test
  void createBuildsTheDatabaseTableAndDerivedObjectsInOrder() {
    List<String> all = LogTableSchema.create(DB, T, 14);
    assertThat(all).hasSize(5);
    assertThat(all.get(0)).isEqualTo("CREATE DATABASE IF NOT EXISTS `logs_team_payments`");
    assertThat(all.get(1))
        .startsWith("CREATE TABLE IF NOT EXISTS `logs_team_payments`.`edge_nginx` (\n")
        .contains("  `timestamp` DateTime64(3, 'UTC'),\n")
        .contains("  `attributes` Map(LowCardinality(String), String),\n")
        .contains("  `_offset` UInt64\n) ENGINE = MergeTree\n")
        .contains("ORDER BY (service, timestamp)")
        .contains("TTL toDateTime(timestamp) + INTERVAL 14 DAY")
        .endsWith("SETTINGS non_replicated_deduplication_window = 1000");
    // Columns in insertion (RowBinary) order, each once.
    int at = -1;
    for (LogTableSchema.Column c : LogTableSchema.COLUMNS) {
      int next = all.get(1).indexOf("`" + c.name() + "` " + c.type());
      assertThat(next).as(c.name()).isGreaterThan(at);
      at = next;
    }
    assertThat(all.get(2))
        .startsWith("CREATE TABLE IF NOT EXISTS `logs_team_payments`.`edge_nginx_ledger`")
        .contains("ENGINE = ReplacingMergeTree(stored) ORDER BY (topic_id, partition, last_offset)")
        .endsWith("TTL toDateTime(written_at) + INTERVAL 14 DAY");
    assertThat(all.get(3))
        .startsWith("CREATE TABLE IF NOT EXISTS `logs_team_payments`.`edge_nginx_stats`")
        .endsWith("TTL minute + INTERVAL 14 DAY");
    assertThat(all.get(4))
        .startsWith(
            "CREATE MATERIALIZED VIEW IF NOT EXISTS `logs_team_payments`.`edge_nginx_stats_v`"
                + " TO `logs_team_payments`.`edge_nginx_stats`");
    assertThat(LogTableSchema.derivedObjects(T))
        .containsExactly("edge_nginx_ledger", "edge_nginx_stats", "edge_nginx_stats_v");
  }

  @Test
  void migrateAddsEveryColumnIdempotentlyAndSetsTheNewRetention() {
    List<String> m = LogTableSchema.migrate(DB, T, 30);
    List<String> adds = m.stream().filter(s -> s.contains("ADD COLUMN")).toList();
    assertThat(adds).hasSize(LogTableSchema.COLUMNS.size());
    assertThat(adds)
        .allSatisfy(
            s ->
                assertThat(s)
                    .startsWith(
                        "ALTER TABLE `logs_team_payments`.`edge_nginx` ADD COLUMN IF NOT EXISTS"));
    assertThat(m)
        .contains(
            "ALTER TABLE `logs_team_payments`.`edge_nginx` MODIFY TTL toDateTime(timestamp) +"
                + " INTERVAL 30 DAY",
            "ALTER TABLE `logs_team_payments`.`edge_nginx_stats` MODIFY TTL minute + INTERVAL 30"
                + " DAY",
            LogTableSchema.createLedgerTable(DB, T, 30),
            "DROP VIEW IF EXISTS `logs_team_payments`.`edge_nginx_offsets`",
            LogTableSchema.createStatsView(DB, T));
    assertThat(m)
        .noneMatch(
            s ->
                s.contains(
                    "CREATE MATERIALIZED VIEW IF NOT EXISTS `logs_team_payments`.`edge_nginx_offsets`"));
  }

  @Test
  void dropRemovesViewsBeforeTheirTables() {
    assertThat(LogTableSchema.drop(DB, T))
        .containsExactly(
            "DROP VIEW IF EXISTS `logs_team_payments`.`edge_nginx_stats_v`",
            "DROP VIEW IF EXISTS `logs_team_payments`.`edge_nginx_offsets`",
            "DROP TABLE IF EXISTS `logs_team_payments`.`edge_nginx_stats`",
            "DROP TABLE IF EXISTS `logs_team_payments`.`edge_nginx_ledger`",
            "DROP TABLE IF EXISTS `logs_team_payments`.`edge_nginx`");
  }

  @Test
  void insertNamesTheColumnsInRowBinaryOrder() {
    assertThat(LogTableSchema.insertInto(DB, T))
        .startsWith("INSERT INTO `logs_team_payments`.`edge_nginx` (`timestamp`, `service`, ")
        .endsWith("`_partition`, `_offset`)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x; DROP TABLE y",
        "a`b",
        "logs.other",
        "t' OR '1'='1",
        "",
        " ",
        "1starts_with_digit",
        "naïve",
        "a_very_long_name_that_goes_past_the_sixty_three_character_limit_x"
      })
  void hostileOrInvalidNamesNeverReachAStatement(String hostile) {
    List<Function<String, Object>> asTable =
        List.of(
            t -> LogTableSchema.create(DB, t, 7),
            t -> LogTableSchema.migrate(DB, t, 7),
            t -> LogTableSchema.drop(DB, t),
            t -> LogTableSchema.insertInto(DB, t),
            t -> LogTableSchema.selectLatestLedgerEntries(DB, t));
    for (Function<String, Object> build : asTable) {
      assertThatThrownBy(() -> build.apply(hostile))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("table '" + hostile + "' is not a valid identifier:");
    }
    assertThatThrownBy(() -> LogTableSchema.create(hostile, T, 7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("database '" + hostile + "' is not a valid identifier");
    assertThatThrownBy(() -> LogTableSchema.createDatabase(hostile))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ownerCommentsAreQuotedLiteralsThatNothingCanBreakOutOf() {
    String owner = "logpipe owner pipeline=team-a/x-y uid=0f3c-11 backend=default";
    assertThat(LogTableSchema.createTable(DB, T, 7, owner)).endsWith("\nCOMMENT '" + owner + "'");
    assertThat(LogTableSchema.createDatabase(DB, owner)).endsWith(" COMMENT '" + owner + "'");
    assertThat(LogTableSchema.modifyComment(DB, T, owner))
        .isEqualTo("ALTER TABLE `" + DB + "`.`" + T + "` MODIFY COMMENT '" + owner + "'");
    for (String hostile : List.of("x' OR '1'='1", "a\\' ", "line\nbreak", "`x`", "a".repeat(257))) {
      assertThatThrownBy(() -> LogTableSchema.createTable(DB, T, 7, hostile))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not allowed");
      assertThatThrownBy(() -> LogTableSchema.modifyComment(DB, T, hostile))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(LogTableSchema.createTable(DB, T, 7)).doesNotContain("COMMENT");
  }

  @Test
  void aRetentionBelowOneDayIsRefused() {
    assertThatThrownBy(() -> LogTableSchema.create(DB, T, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retentionDays must be at least 1, was 0");
  }

  @Test
  void kubernetesNamesBecomeIdentifiersOrAreRefused() {
    assertThat(SqlIdentifiers.fromKubernetesName("logs_", "team-payments.eu"))
        .isEqualTo("logs_team_payments_eu");
    assertThatThrownBy(() -> SqlIdentifiers.fromKubernetesName("", "9lives"))
        .hasMessageStartingWith("derived name '9lives' is not a valid identifier");
    assertThatThrownBy(() -> SqlIdentifiers.fromKubernetesName("logs_", "a`; DROP"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
