package dev.logpipe.sandbox.generator;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** POSTs lines as NDJSON to a gateway's {@code /v1/logs} with a bearer token. */
public final class GatewayLogSink implements LogSink {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI uri;
  private final String token;

  public GatewayLogSink(String gatewayUrl, String token) {
    this.uri = URI.create(gatewayUrl.replaceAll("/+$", "") + "/v1/logs");
    this.token = token;
  }

  @Override
  public void send(List<byte[]> lines) throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] line : lines) {
      body.write(line);
      body.write('\n');
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/x-ndjson")
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IllegalStateException(
          "gateway answered " + response.statusCode() + ": " + response.body());
    }
  }

  @Override
  public boolean acceptsMalformed() {
    return false;
  }

  @Override
  public void close() {
    // the JDK client needs no closing on Java 17
  }
}
