package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Where the pipeline's logs are stored. */
// A newer operator's status fields must not stop an older one from reading the resource.
@JsonIgnoreProperties(ignoreUnknown = true)
public class StorageStatus {
  @JsonPropertyDescription("ClickHouse database (backend prefix + namespace).")
  private String database;

  @JsonPropertyDescription("ClickHouse table (derived from the pipeline name).")
  private String table;

  public StorageStatus() {}

  public StorageStatus(String database, String table) {
    this.database = database;
    this.table = table;
  }

  public String getDatabase() {
    return database;
  }

  public void setDatabase(String database) {
    this.database = database;
  }

  public String getTable() {
    return table;
  }

  public void setTable(String table) {
    this.table = table;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StorageStatus s
        && Objects.equals(database, s.database)
        && Objects.equals(table, s.table);
  }

  @Override
  public int hashCode() {
    return Objects.hash(database, table);
  }
}
