package dev.logpipe.worker.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.logpipe.worker.model.Rejection.Reason;
import java.io.IOException;
import java.io.StringWriter;

/**
 * JSON objects, read with Jackson's streaming parser (no tree is built). Nested objects flatten to
 * dotted keys ({@code kubernetes.labels.app}), which is also how {@code format.fields} paths are
 * written; arrays are kept as compact JSON text in one attribute.
 */
final class JsonLogParser extends AbstractLogParser {

  private final JsonFactory factory;

  JsonLogParser(FieldMapping mapping, EventNormalizer normalizer, ParseLimits limits) {
    super(mapping, normalizer, limits);
    this.factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxDepth())
                    .maxStringLength(Math.max(limits.maxRecordBytes(), 1024))
                    .build())
            // Keys come from users: canonicalise (cheap, cached hashes) but never String.intern.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();
  }

  @Override
  ParseResult parseValid(byte[] value, long kafkaTimestampMs, FieldCollector fields) {
    try (JsonParser p = factory.createParser(value)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        return ParseResult.rejected(
            Reason.NOT_AN_OBJECT, "expected a JSON object, found " + describe(first));
      }
      readObject(p, fields);
      if (p.nextToken() != null) {
        return ParseResult.rejected(Reason.INVALID_JSON, "unexpected content after the object");
      }
    } catch (StreamConstraintsException e) {
      boolean depth = String.valueOf(e.getOriginalMessage()).contains("nesting depth");
      return ParseResult.rejected(
          depth ? Reason.TOO_DEEP : Reason.INVALID_JSON,
          depth ? "nesting deeper than " + limits.maxDepth() : e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      return ParseResult.rejected(Reason.INVALID_JSON, shortMessage(e));
    } catch (IOException e) {
      return ParseResult.rejected(Reason.INVALID_JSON, String.valueOf(e.getMessage()));
    }
    return ParseResult.ok(normalizer.toEvent(fields, kafkaTimestampMs));
  }

  /** Walks the top-level object iteratively; Jackson's constraint bounds the depth. */
  private void readObject(JsonParser p, FieldCollector fields) throws IOException {
    // Both allocated on the first nested object only: flat records are the common case.
    StringBuilder path = null;
    int[] prefixEnd = null;
    int depth = 1;
    JsonToken t;
    while ((t = p.nextToken()) != null) {
      if (t == JsonToken.END_OBJECT) {
        if (--depth == 0) {
          return;
        }
        continue;
      }
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (v == JsonToken.START_OBJECT) {
        if (path == null) {
          path = new StringBuilder(48);
          prefixEnd = new int[limits.maxDepth() + 2];
        }
        path.setLength(prefixEnd[depth]);
        path.append(name).append('.');
        prefixEnd[++depth] = path.length();
        continue;
      }
      String text = leaf(p, v);
      if (text == null) {
        continue; // JSON null: the field is absent
      }
      String key = name;
      if (depth > 1) {
        path.setLength(prefixEnd[depth]);
        key = path.append(name).toString();
      }
      fields.offer(key, text);
    }
  }

  private String leaf(JsonParser p, JsonToken v) throws IOException {
    return switch (v) {
      case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText();
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      case START_ARRAY -> arrayText(p);
      default -> null;
    };
  }

  private String arrayText(JsonParser p) throws IOException {
    StringWriter out = new StringWriter(64);
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.copyCurrentStructure(p);
    }
    return out.toString();
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.toString();
    };
  }

  private static String shortMessage(JsonProcessingException e) {
    String m = String.valueOf(e.getOriginalMessage());
    m = m.length() > 200 ? m.substring(0, 200) : m;
    JsonLocation at = e.getLocation();
    if (at == null) {
      return m;
    }
    // Parsed from bytes: the char offset is always -1, the byte offset is the real position.
    long offset = at.getByteOffset() >= 0 ? at.getByteOffset() : at.getCharOffset();
    return m
        + " at byte "
        + offset
        + " (line "
        + at.getLineNr()
        + ", column "
        + at.getColumnNr()
        + ")";
  }
}
