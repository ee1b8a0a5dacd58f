/**
 * The logpipe.dev/v1alpha1 API: {@link dev.logpipe.operator.api.v1alpha1.LogPipeline} (written by
 * application teams) and {@link dev.logpipe.operator.api.v1alpha1.ClusterLogBackend} (written by
 * the platform team). The CRDs in {@code crds/} are generated from these classes, so every
 * {@code @JsonPropertyDescription} here is what {@code kubectl explain} shows.
 *
 * <p>Java field initialisers repeat the schema's {@code @Default} values so that objects built in
 * code (tests, fixtures) and objects read from the API server agree.
 */
package dev.logpipe.operator.api.v1alpha1;
