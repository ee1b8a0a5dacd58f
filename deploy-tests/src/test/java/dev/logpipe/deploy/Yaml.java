package dev.logpipe.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** YAML and JSON through one Jackson mapper. */
public final class Yaml {
  public static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());
  public static final ObjectMapper JSON = new ObjectMapper();

  private Yaml() {}

  public static JsonNode one(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every non-empty document of a multi-document stream (what `helm template` prints). */
  public static List<JsonNode> all(String text) {
    List<JsonNode> docs = new ArrayList<>();
    try (var it = MAPPER.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !(doc instanceof NullNode) && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }
}
