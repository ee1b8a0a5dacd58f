package dev.logpipe.worker.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks {@code Authorization: Bearer <token>} in constant time against the configured token. */
public final class BearerAuth {
  /** Environment variable with the token (or {@code _FILE} naming a file that holds it). */
  public static final String TOKEN_ENV = "LOGPIPE_GATEWAY_TOKEN";

  private final byte[] expected;

  public BearerAuth(String token) {
    if (token == null || token.length() < 16) {
      throw new IllegalArgumentException(
          TOKEN_ENV + " must be set to a token of at least 16 characters");
    }
    this.expected = token.getBytes(StandardCharsets.UTF_8);
  }

  public boolean allows(String authorizationHeader) {
    if (authorizationHeader == null
        || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      // Still compare, so a missing header costs the same as a wrong one.
      MessageDigest.isEqual(expected, new byte[expected.length]);
      return false;
    }
    byte[] given = authorizationHeader.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given);
  }
}
