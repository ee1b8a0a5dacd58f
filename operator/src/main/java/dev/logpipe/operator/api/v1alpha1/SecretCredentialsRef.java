package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * A Secret holding a user name and password. The operator copies only these two values into a
 * Secret in each pipeline's namespace; application teams never see the original.
 */
public class SecretCredentialsRef {
  @Required
  @Pattern(KubernetesPatterns.DNS_LABEL)
  @JsonPropertyDescription("Name of the Secret.")
  private String name;

  @Required
  @Pattern(KubernetesPatterns.DNS_LABEL)
  @JsonPropertyDescription(
      "Namespace of the Secret, usually the operator's own (e.g. logpipe-system).")
  private String namespace;

  @Default("username")
  @JsonPropertyDescription("Key in the Secret that holds the user name.")
  private String userKey = "username";

  @Default("password")
  @JsonPropertyDescription("Key in the Secret that holds the password.")
  private String passwordKey = "password";

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getUserKey() {
    return userKey;
  }

  public void setUserKey(String userKey) {
    this.userKey = userKey;
  }

  public String getPasswordKey() {
    return passwordKey;
  }

  public void setPasswordKey(String passwordKey) {
    this.passwordKey = passwordKey;
  }

  /** namespace/name, as messages show it. */
  public String qualifiedName() {
    return namespace + "/" + name;
  }
}
