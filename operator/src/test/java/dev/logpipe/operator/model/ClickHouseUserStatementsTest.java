package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logpipe.operator.model.ClickHouseUserStatements.Role;
import org.junit.jupiter.api.Test;

class ClickHouseUserStatementsTest {
  private static final PipelineNames NAMES = PipelineNames.of("team-payments", "payments", "logs_");
  private static final String SALT = "00112233445566778899aabbccddeeff";
  // sha256("secret" + SALT), computed independently (printf %s | sha256sum).
  private static final String HASH =
      "751a2684a150ca680e66fdaecfcbb9952cf81a27ffaf710e54820abdee9412a7";

  @Test
  void workerUserGetsInsertAndSelectOnItsTableAndLedgerOnly() {
    String user = "`" + ClickHouseUserStatements.userName(NAMES, Role.WORKER) + "`";
    assertThat(ClickHouseUserStatements.create(NAMES, Role.WORKER, "secret", SALT))
        .containsExactly(
            "CREATE USER IF NOT EXISTS "
                + user
                + " IDENTIFIED WITH sha256_hash BY '"
                + HASH
                + "' SALT '"
                + SALT
                + "'",
            "ALTER USER "
                + user
                + " IDENTIFIED WITH sha256_hash BY '"
                + HASH
                + "' SALT '"
                + SALT
                + "'",
            "REVOKE ALL ON *.* FROM " + user,
            "GRANT INSERT, SELECT ON `logs_team_payments`.`payments` TO " + user,
            "GRANT INSERT, SELECT ON `logs_team_payments`.`payments_ledger` TO " + user,
            "GRANT INSERT ON `logs_team_payments`.`payments_stats` TO " + user);
  }

  @Test
  void gatewayUserOnlyReadsTheTableAndItsRollup() {
    String user = "`" + ClickHouseUserStatements.userName(NAMES, Role.GATEWAY) + "`";
    assertThat(ClickHouseUserStatements.create(NAMES, Role.GATEWAY, "secret", SALT))
        .endsWith(
            "REVOKE ALL ON *.* FROM " + user,
            "GRANT SELECT ON `logs_team_payments`.`payments` TO " + user,
            "GRANT SELECT ON `logs_team_payments`.`payments_stats` TO " + user);
  }

  @Test
  void namesAreValidIdentifiersDistinctPerPipelineAndRoleAndNeverThePassword() {
    String worker = ClickHouseUserStatements.userName(NAMES, Role.WORKER);
    assertThat(worker).matches("logpipe_[0-9a-f]{16}_worker");
    assertThat(ClickHouseUserStatements.userName(NAMES, Role.GATEWAY))
        .isEqualTo(worker.replace("_worker", "_gateway"));
    // '-' and '.' cannot tell these apart once mapped to '_': the hash does.
    assertThat(
            ClickHouseUserStatements.userName(PipelineNames.of("a-b", "c", "logs_"), Role.WORKER))
        .isNotEqualTo(
            ClickHouseUserStatements.userName(PipelineNames.of("a", "b-c", "logs_"), Role.WORKER));
    assertThat(
            String.join("\n", ClickHouseUserStatements.create(NAMES, Role.WORKER, "secret", SALT)))
        .doesNotContain("secret");
    assertThat(ClickHouseUserStatements.drop(NAMES))
        .containsExactly(
            "DROP USER IF EXISTS `" + worker + "`",
            "DROP USER IF EXISTS `" + worker.replace("_worker", "_gateway") + "`");
  }

  @Test
  void refusesASaltThatIsNotHex() {
    assertThatThrownBy(
            () -> ClickHouseUserStatements.create(NAMES, Role.WORKER, "pw", "x' OR 1=1 --aaaaaa"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("salt");
  }
}
