package dev.logpipe.devservices.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementsTest {

  @Test
  void firstKeywordSkipsWhitespaceAndComments() {
    assertThat(Statements.firstKeyword("  -- note\n /* block */ insert into t"))
        .isEqualTo("INSERT");
    assertThat(Statements.firstKeyword("SET max_threads = 1")).isEqualTo("SET");
    assertThat(Statements.firstKeyword("   ")).isEmpty();
  }

  @Test
  void trailingFormatIsTheStatementsOwnFormat() {
    assertThat(Statements.trailingFormat("SELECT 1 FORMAT JSONEachRow;\n")).contains("JSONEachRow");
    assertThat(Statements.trailingFormat("select 1 format RowBinaryWithNamesAndTypes"))
        .contains("RowBinaryWithNamesAndTypes");
    assertThat(Statements.trailingFormat("SELECT 'FORMAT CSV'")).isEmpty();
    assertThat(Statements.trailingFormat("SELECT 1")).isEmpty();
  }

  @Test
  void insertAwaitingDataSplitsOffTheFormat() {
    assertThat(Statements.insertAwaitingData("INSERT INTO db.t (a, b) FORMAT RowBinary"))
        .contains(new Statements.Insert("INSERT INTO db.t (a, b)", "RowBinary"));
    assertThat(
            Statements.insertAwaitingData(
                "INSERT INTO `db`.`t`\n SETTINGS async_insert=0 FORMAT TSV"))
        .contains(new Statements.Insert("INSERT INTO `db`.`t`\n SETTINGS async_insert=0", "TSV"));
    assertThat(Statements.insertAwaitingData("INSERT INTO t VALUES"))
        .contains(new Statements.Insert("INSERT INTO t", "Values"));
  }

  @Test
  void insertsWithInlineDataOrSelectAreOrdinaryStatements() {
    assertThat(Statements.insertAwaitingData("INSERT INTO t VALUES (1, 'x')")).isEmpty();
    assertThat(Statements.insertAwaitingData("INSERT INTO t SELECT * FROM s")).isEmpty();
    assertThat(Statements.insertAwaitingData("SELECT 1 FORMAT CSV")).isEmpty();
  }
}
