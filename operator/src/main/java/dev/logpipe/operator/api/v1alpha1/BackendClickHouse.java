package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The ClickHouse side of a backend. */
public class BackendClickHouse {
  @Required
  // No user info: a password in the URL would reach every pipeline's ConfigMap.
  @Pattern("^https?://[^\\s/@]+(/.*)?$")
  @JsonPropertyDescription(
      "HTTP(S) URL of the ClickHouse server, e.g. http://clickhouse.clickhouse:8123, without user"
          + " or password (they go in credentialsSecret). Version 23.8 or newer is required.")
  private String url;

  @Required
  @JsonPropertyDescription(
      "Secret with the user the operator uses to create databases and tables; workers get a copy"
          + " of the same credentials.")
  private SecretCredentialsRef credentialsSecret;

  @Default("logs_")
  @Pattern("^[a-z_][a-z0-9_]{0,19}$")
  @JsonPropertyDescription(
      "Prefix of each pipeline namespace's database: with a prefix of one word and one '_' (as"
          + " logs_) the database of namespace team-a is <prefix>team_a; any other prefix gets '__'"
          + " and a hash appended, so no two backends on one server can share a database."
          + " Lower-case letters, digits and '_', at most 20 characters.")
  private String databasePrefix = "logs_";

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public SecretCredentialsRef getCredentialsSecret() {
    return credentialsSecret;
  }

  public void setCredentialsSecret(SecretCredentialsRef credentialsSecret) {
    this.credentialsSecret = credentialsSecret;
  }

  public String getDatabasePrefix() {
    return databasePrefix;
  }

  public void setDatabasePrefix(String databasePrefix) {
    this.databasePrefix = databasePrefix;
  }
}
