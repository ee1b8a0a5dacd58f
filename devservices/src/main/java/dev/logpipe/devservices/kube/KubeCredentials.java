package dev.logpipe.devservices.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * What the control plane authenticates with, written once into its folder: a static token file (the
 * admin in {@code system:masters}, the controller manager) and the service-account signing key
 * pair, so tokens the API server issues (TokenRequest) verify after a restart too. The serving
 * certificate is the one kube-apiserver generates for 127.0.0.1 in its {@code --cert-dir}.
 */
final class KubeCredentials {
  static final String ADMIN_USER = "logpipe-admin";
  static final String CONTROLLER_MANAGER_USER = "system:kube-controller-manager";

  final Path tokenFile;
  final Path serviceAccountKey;
  final Path serviceAccountPublicKey;
  final String adminToken;
  final String controllerManagerToken;

  private KubeCredentials(Path dir, String adminToken, String controllerManagerToken) {
    this.tokenFile = dir.resolve("tokens.csv");
    this.serviceAccountKey = dir.resolve("sa.key");
    this.serviceAccountPublicKey = dir.resolve("sa.pub");
    this.adminToken = adminToken;
    this.controllerManagerToken = controllerManagerToken;
  }

  /** Reads the credentials in {@code dir}, or creates them there the first time. */
  static KubeCredentials in(Path dir) {
    try {
      Files.createDirectories(dir);
      Path tokens = dir.resolve("tokens.csv");
      if (Files.exists(tokens)) {
        String[] lines = Files.readString(tokens).strip().split("\n");
        return new KubeCredentials(dir, lines[0].split(",")[0], lines[1].split(",")[0]);
      }
      KubeCredentials created = new KubeCredentials(dir, randomToken(), randomToken());
      KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
      Files.writeString(
          created.serviceAccountKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      Files.writeString(
          created.serviceAccountPublicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
      // Both are cluster admins of a throwaway loopback cluster; the operator under test never
      // uses them (it gets a ServiceAccount token bound to the chart's RBAC).
      Files.writeString(
          tokens,
          created.adminToken
              + ","
              + ADMIN_USER
              + ","
              + ADMIN_USER
              + ",\"system:masters\"\n"
              + created.controllerManagerToken
              + ","
              + CONTROLLER_MANAGER_USER
              + ","
              + CONTROLLER_MANAGER_USER
              + ",\"system:masters\"\n");
      return created;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write control plane credentials in " + dir, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
