package dev.logpipe.devservices.kube;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Plain HTTPS GETs to the control plane for readiness checks, trusting only the certificates the
 * API server generated for itself (its serving certificate and the CA that signed it).
 */
final class ApiServerHttp {
  private final HttpClient client;
  private final String base;
  private final String token;

  ApiServerHttp(Path caBundle, String base, String token) {
    this.base = base;
    this.token = token;
    this.client =
        HttpClient.newBuilder()
            .sslContext(trusting(caBundle))
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  /** The status code of GET {@code path}, or -1 when nothing answered. */
  int status(String path) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Authorization", "Bearer " + token)
              .timeout(Duration.ofSeconds(3))
              .GET()
              .build();
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static SSLContext trusting(Path caBundle) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      byte[] pem = Files.readString(caBundle).getBytes(StandardCharsets.US_ASCII);
      for (Certificate cert :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem))) {
        store.setCertificateEntry("apiserver-" + i++, cert);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the API server's certificates " + caBundle, e);
    }
  }
}
