package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.util.ClassUtil;
import com.fasterxml.jackson.databind.util.StdConverter;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads a spec so that no user data can fail it. Fields this version does not know (a typo, or a
 * field of a newer CRD left behind by a Helm rollback) are skipped and listed in {@link
 * SpecProblems#ignoredFields()}; values it cannot read (an enum value it does not know, a string
 * where a number belongs) are listed in {@link SpecProblems#unreadableFields()} and the pipeline is
 * refused with their paths. Without this, Jackson's UnrecognizedPropertyException inside an
 * informer stopped the whole operator (issue 13, finding 1).
 *
 * <p>Used as {@code @JsonDeserialize(converter = ...)} on the spec classes, so it applies to every
 * client and mapper that reads them (informers, the mock API in tests, the sandbox).
 */
abstract class TolerantReader<T extends SpecProblems.Holder> extends StdConverter<JsonNode, T> {
  private static final String PROBLEMS = "logpipe.tolerantReader.problems";

  /** Turns the converter annotation off for the inner read, which would otherwise recurse. */
  @JsonDeserialize
  private abstract static class PlainRead {}

  private final Class<T> type;
  private final Supplier<T> empty;
  private final ObjectMapper mapper;

  TolerantReader(Class<T> type, Supplier<T> empty) {
    this.type = type;
    this.empty = empty;
    this.mapper =
        JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // An API server refuses 1.5 for an integer; never round it silently.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .addMixIn(type, PlainRead.class)
            .addHandler(new Recorder())
            .build();
    // Fabric8's modules and settings, so nested Kubernetes types read as they do in the client.
    new KubernetesSerialization(mapper, false);
  }

  @Override
  public T convert(JsonNode node) {
    SpecProblems problems = new SpecProblems(new ArrayList<>(), new ArrayList<>());
    T value;
    try {
      value = mapper.readerFor(type).withAttribute(PROBLEMS, problems).readValue(node);
    } catch (MismatchedInputException e) {
      // A coercion Jackson refuses outright (1.5 for an integer): named, the rest is not read.
      value = empty.get();
      String target = e.getTargetType() == null ? "another type" : kind(e.getTargetType());
      problems.unreadableFields().add(path(e.getPath()) + ": must be " + target);
    } catch (IOException | RuntimeException e) {
      // Whatever else goes wrong stays on this resource: an empty spec that is refused as invalid.
      value = empty.get();
      problems.unreadableFields().add("spec: cannot be read: " + firstLine(e.getMessage()));
    }
    if (value == null) {
      value = empty.get();
    }
    // Sorted: the status lists them, and must not change with the order the server sent fields.
    problems.ignoredFields().sort(null);
    value.setSpecProblems(problems);
    return value;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder out = new StringBuilder("spec");
    for (JsonMappingException.Reference r : references) {
      out.append(r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]");
    }
    return out.toString();
  }

  /**
   * "spec.format.colour", built from the parser's position; {@code name} is the unknown property
   * being skipped, or null for the value the parser is on.
   */
  static String path(JsonParser p, String name) {
    JsonStreamContext ctx = p.getParsingContext();
    if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
      ctx = ctx.getParent(); // the parser already stepped into the value
    }
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.add(0, "[" + c.getCurrentIndex() + "]");
      } else if (c.getCurrentName() != null) {
        parts.add(0, "." + c.getCurrentName());
      }
    }
    // The innermost object's current name is normally the property itself; add it if it is not.
    if (name != null && (parts.isEmpty() || !parts.get(parts.size() - 1).equals("." + name))) {
      parts.add("." + name);
    }
    return "spec" + String.join("", parts);
  }

  private static String kind(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class || type.isEnum()) {
      return "a string";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "an object";
  }

  private static final class Recorder extends DeserializationProblemHandler {
    private static SpecProblems problems(DeserializationContext ctxt) {
      return (SpecProblems) ctxt.getAttribute(PROBLEMS);
    }

    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt,
        JsonParser p,
        JsonDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName)
        throws IOException {
      problems(ctxt).ignoredFields().add(path(p, propertyName));
      p.skipChildren();
      return true;
    }

    @Override
    public Object handleWeirdStringValue(
        DeserializationContext ctxt, Class<?> targetType, String value, String failureMsg)
        throws IOException {
      JsonParser p = ctxt.getParser();
      JsonToken t = p.currentToken();
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        // A boxed number given an object or list arrives here with the text "{" or "[": name the
        // structure, and skip it so its fields are not read as the parent's.
        String at = path(p, null);
        p.skipChildren();
        problems(ctxt)
            .unreadableFields()
            .add(at + ": must be " + kind(targetType) + ", was " + describe(t));
        return placeholder(targetType);
      }
      String problem =
          targetType.isEnum()
              ? "'" + value + "' is not one of " + Arrays.toString(targetType.getEnumConstants())
              : "must be " + kind(targetType) + ", was '" + value + "'";
      problems(ctxt).unreadableFields().add(path(ctxt.getParser(), null) + ": " + problem);
      return placeholder(targetType);
    }

    @Override
    public Object handleWeirdNumberValue(
        DeserializationContext ctxt, Class<?> targetType, Number value, String failureMsg) {
      problems(ctxt)
          .unreadableFields()
          .add(path(ctxt.getParser(), null) + ": must be " + kind(targetType) + ", was " + value);
      return placeholder(targetType);
    }

    @Override
    public Object handleUnexpectedToken(
        DeserializationContext ctxt,
        JavaType targetType,
        JsonToken t,
        JsonParser p,
        String failureMsg)
        throws IOException {
      String at = path(p, null);
      p.skipChildren();
      problems(ctxt)
          .unreadableFields()
          .add(at + ": must be " + kind(targetType.getRawClass()) + ", was " + describe(t));
      return placeholder(targetType.getRawClass());
    }

    /** Stands in for the unreadable value; the spec is refused anyway, so it is never used. */
    private static Object placeholder(Class<?> type) {
      return type.isPrimitive() ? ClassUtil.defaultValue(type) : null;
    }

    private static String describe(JsonToken t) {
      return switch (t) {
        case START_OBJECT -> "an object";
        case START_ARRAY -> "a list";
        case VALUE_STRING -> "a string";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        case VALUE_NULL -> "null";
        default -> t.name();
      };
    }
  }
}
