package dev.logpipe.worker.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads an ingest body (bounded, optionally gzip) and splits it into records: a JSON array (each
 * element's exact bytes; string elements become the record text) or NDJSON / plain lines, see
 * {@link #split}.
 */
final class RequestBodies {
  private static final JsonFactory JSON = new JsonFactory();

  private RequestBodies() {}

  static byte[] read(InputStream in, String contentEncoding, long limit) throws IOException {
    boolean gzip = false;
    if (contentEncoding != null && !contentEncoding.isBlank()) {
      if (!contentEncoding.strip().equalsIgnoreCase("gzip")) {
        throw new BadRequest(
            "Content-Encoding", "only gzip request bodies are accepted, was " + contentEncoding);
      }
      gzip = true;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    int n;
    InputStream source = in;
    try {
      // GZIPInputStream reads the header in its constructor: a body that is not gzip fails there.
      if (gzip) {
        source = new GZIPInputStream(in);
      }
      while ((n = source.read(buffer)) > 0) {
        total += n;
        if (total > limit) {
          throw new PayloadTooLarge(limit);
        }
        out.write(buffer, 0, n);
      }
    } catch (ZipException e) {
      throw new BadRequest(
          "body", "Content-Encoding is gzip but the body is not valid gzip: " + e.getMessage());
    } catch (EOFException e) {
      throw new BadRequest(
          "body",
          gzip
              ? "Content-Encoding is gzip but the gzip body is truncated (it ends before the gzip"
                  + " stream does)"
              : "the body ended early: " + e.getMessage());
    } finally {
      if (source != in) {
        source.close(); // frees the inflater; the request stream stays the server's
      }
    }
    return out.toByteArray();
  }

  /**
   * Splits a body into records. A body starting with {@code [} is a JSON array when it may be JSON:
   * {@code Content-Type: application/json}, or no such header and a json pipeline. {@code
   * text/plain} and {@code application/x-ndjson} bodies, and bodies of logfmt, regex and text
   * pipelines without {@code application/json}, are one record per line, so a text line such as
   * {@code [warn] disk full} stays a record.
   */
  /**
   * Most records one request may hold. The byte limit alone let a 16 MiB body of tiny records
   * ({@code {}} lines) hold two million: 51 s of parsing and producing and 1.4 GiB of heap in one
   * request, measured on the 2-core build machine (adversarial review). Refused before any is
   * parsed; ordinary batches (16 MiB of 200-byte lines is ~84,000) stay under it.
   */
  static final int MAX_RECORDS = 100_000;

  static List<byte[]> split(byte[] body, String contentType, boolean jsonFormat) {
    int first = 0;
    while (first < body.length && Character.isWhitespace(body[first])) {
      first++;
    }
    if (first == body.length) {
      throw new BadRequest("body", "the body holds no records");
    }
    return body[first] == '[' && mayBeJsonArray(contentType, jsonFormat)
        ? jsonArray(body)
        : lines(body);
  }

  private static boolean mayBeJsonArray(String contentType, boolean jsonFormat) {
    String media =
        contentType == null
            ? ""
            : contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
    return switch (media) {
      case "application/json" -> true;
      case "text/plain", "application/x-ndjson" -> false;
      default -> jsonFormat;
    };
  }

  private static List<byte[]> jsonArray(byte[] body) {
    List<byte[]> records = new ArrayList<>();
    try (JsonParser p = JSON.createParser(body)) {
      p.nextToken();
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw new BadRequest("body", "the JSON array is not closed");
        }
        if (records.size() == MAX_RECORDS) {
          throw PayloadTooLarge.tooManyRecords(MAX_RECORDS);
        }
        if (t == JsonToken.VALUE_STRING) {
          records.add(p.getText().getBytes(StandardCharsets.UTF_8));
          continue;
        }
        int start = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        int end = (int) p.currentLocation().getByteOffset();
        records.add(Arrays.copyOfRange(body, start, end));
      }
      if (p.nextToken() != null) {
        throw new BadRequest("body", "unexpected content after the JSON array");
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BadRequest("body", "the body is not a valid JSON array: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequest("body", "the body could not be read: " + e.getMessage());
    }
    return records;
  }

  private static List<byte[]> lines(byte[] body) {
    List<byte[]> records = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= body.length; i++) {
      if (i == body.length || body[i] == '\n') {
        int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
        if (end > start && !blank(body, start, end)) {
          if (records.size() == MAX_RECORDS) {
            throw PayloadTooLarge.tooManyRecords(MAX_RECORDS);
          }
          records.add(Arrays.copyOfRange(body, start, end));
        }
        start = i + 1;
      }
    }
    return records;
  }

  private static boolean blank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isWhitespace(b[i])) {
        return false;
      }
    }
    return true;
  }
}
