package dev.logpipe.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Rotation of a pipeline's own backend users on request: a user (or a CronJob, or Argo CD) sets
 * {@link #REQUEST} on the LogPipeline to any new value, and the operator rotates the pipeline's
 * Redis password and its KafkaUsers' passwords once for that value. The value handled last is kept
 * on the credentials Secret ({@link #HANDLED}), written in the same update as the new passwords, so
 * an operator restart mid-rotation neither rotates twice nor forgets a request. The backend's own
 * (ClickHouse) credentials are the platform team's and are not rotated here.
 */
public final class CredentialRotation {
  /** On the LogPipeline: any new value asks for one rotation. */
  public static final String REQUEST = "logpipe.dev/rotate-credentials";

  /**
   * On the credentials Secret: the fingerprint ({@link #fingerprint}) of the request value whose
   * rotation is done. A fingerprint, not the value: a value the LogPipeline's annotations can hold
   * may not fit beside the Secret's, and a Secret the API server refuses would leave a rotation
   * half done (Strimzi renewed, the pods never told).
   */
  public static final String HANDLED = "logpipe.dev/rotated-credentials";

  // Values are shown in status; an annotation may be far longer than a sentence should be.
  private static final int SHOWN = 63;

  private CredentialRotation() {}

  /** The value the pipeline asks to rotate for, or null. */
  public static String requested(HasMetadata pipeline) {
    return annotation(pipeline, REQUEST);
  }

  /** The fingerprint of the request value the credentials Secret was last written for, or null. */
  public static String handled(Secret credentials) {
    return credentials == null ? null : annotation(credentials, HANDLED);
  }

  /**
   * Whether a rotation for {@code requested} is still to be done: there is a request, a Secret with
   * passwords to replace, and the Secret was not written for this very value. A Secret made for the
   * first time holds fresh passwords anyway, so it is written as handled.
   */
  public static boolean pending(String requested, Secret existing) {
    return requested != null && existing != null && !handles(existing, requested);
  }

  /** Whether {@code credentials} was written for the request value {@code requested}. */
  public static boolean handles(Secret credentials, String requested) {
    return requested != null && fingerprint(requested).equals(handled(credentials));
  }

  /** {@code sha256:<hex>} of the value: what {@link #HANDLED} records, 71 characters. */
  public static String fingerprint(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The value as status and logs show it: at most 63 characters. */
  public static String shown(String value) {
    return value.length() <= SHOWN ? value : value.substring(0, SHOWN) + "...";
  }

  /** What the credentials Secret records: the request's fingerprint, or what it recorded before. */
  static String toRecord(String requested, Secret existing) {
    return requested != null ? fingerprint(requested) : handled(existing);
  }

  private static String annotation(HasMetadata resource, String key) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }
}
