package dev.logpipe.operator.api.v1alpha1;

/** Schema patterns shared by the api types. */
final class KubernetesPatterns {
  /** RFC 1123 label: what namespaces, Services and most names must be. */
  static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";

  /** Rule names as the worker accepts them (see PipelineConfigValidator). */
  static final String RULE_NAME = "^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?$";

  private KubernetesPatterns() {}
}
