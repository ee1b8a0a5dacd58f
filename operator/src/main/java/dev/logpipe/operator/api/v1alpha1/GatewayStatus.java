package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The gateway's address and access token. */
// A newer operator's status fields must not stop an older one from reading the resource.
@JsonIgnoreProperties(ignoreUnknown = true)
public class GatewayStatus {
  @JsonPropertyDescription("In-cluster URL of the gateway Service.")
  private String url;

  @JsonPropertyDescription("Secret (in this namespace) holding the gateway's bearer token.")
  private String tokenSecret;

  public GatewayStatus() {}

  public GatewayStatus(String url, String tokenSecret) {
    this.url = url;
    this.tokenSecret = tokenSecret;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getTokenSecret() {
    return tokenSecret;
  }

  public void setTokenSecret(String tokenSecret) {
    this.tokenSecret = tokenSecret;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GatewayStatus s
        && Objects.equals(url, s.url)
        && Objects.equals(tokenSecret, s.tokenSecret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, tokenSecret);
  }
}
