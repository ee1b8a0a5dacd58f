package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The Redis side of a backend. */
public class BackendRedis {
  @Required
  // No user info: a password in the URL would reach every pipeline's ConfigMap.
  @Pattern("^rediss?://[^\\s/@]+(/.*)?$")
  @JsonPropertyDescription(
      "Redis URL, e.g. redis://redis.redis:6379 (rediss:// for TLS), without user or password"
          + " (they go in credentialsSecret; the URL reaches every pipeline's ConfigMap).")
  private String url;

  @JsonPropertyDescription(
      "Optional Secret with the Redis user (optional key) and password. Omit when Redis needs no"
          + " authentication.")
  private SecretCredentialsRef credentialsSecret;

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
}
