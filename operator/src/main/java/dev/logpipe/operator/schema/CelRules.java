package dev.logpipe.operator.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates a CRD's {@code x-kubernetes-validations} rules with CEL-Java, {@code self} bound to the
 * node as the API server binds it (objects as maps, integers as int, ...). Only the CEL standard
 * library and macros: every rule in our CRDs must stay inside it (Kubernetes' extension libraries
 * would be refused here, which keeps the rules portable to old API servers too).
 */
public final class CelRules {
  private static final Cel CEL =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();
  private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

  private CelRules() {}

  /** Compiles a rule; throws with CEL's own message when it does not compile. */
  public static CelRuntime.Program program(String rule) {
    return PROGRAMS.computeIfAbsent(
        rule,
        r -> {
          try {
            CelAbstractSyntaxTree ast = CEL.compile(r).getAst();
            return CEL.createProgram(ast);
          } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException("rule does not compile: " + r + ": " + e, e);
          }
        });
  }

  /** Property names Kubernetes escapes as {@code __name__} because they are CEL keywords. */
  private static final Set<String> RESERVED =
      Set.of(
          "true",
          "false",
          "null",
          "in",
          "as",
          "break",
          "const",
          "continue",
          "else",
          "for",
          "function",
          "if",
          "import",
          "let",
          "loop",
          "package",
          "namespace",
          "return",
          "var");

  /** True when the rule holds for {@code self}; an evaluation error counts as a violation. */
  public static boolean holds(String rule, JSONSchemaProps schema, JsonNode self) {
    try {
      return Boolean.TRUE.equals(program(rule).eval(Map.of("self", value(schema, self))));
    } catch (CelEvaluationException e) {
      return false;
    }
  }

  /**
   * JSON as the API server hands it to CEL: map, list, string, int (long), double, bool; declared
   * properties named like CEL keywords (or with {@code _ . - /}) are escaped as Kubernetes does,
   * map keys (additionalProperties) are not.
   */
  static Object value(JSONSchemaProps schema, JsonNode node) {
    if (node.isObject()) {
      boolean isMap =
          schema != null
              && schema.getAdditionalProperties() != null
              && schema.getAdditionalProperties().getSchema() != null;
      Map<String, Object> map = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        JSONSchemaProps child =
            schema == null
                ? null
                : isMap
                    ? schema.getAdditionalProperties().getSchema()
                    : schema.getProperties() == null
                        ? null
                        : schema.getProperties().get(f.getKey());
        map.put(isMap ? f.getKey() : escape(f.getKey()), value(child, f.getValue()));
      }
      return map;
    }
    if (node.isArray()) {
      JSONSchemaProps items =
          schema == null || schema.getItems() == null ? null : schema.getItems().getSchema();
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(value(items, n)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }

  static String escape(String property) {
    if (RESERVED.contains(property)) {
      return "__" + property + "__";
    }
    return property
        .replace("__", "__underscores__")
        .replace(".", "__dot__")
        .replace("-", "__dash__")
        .replace("/", "__slash__");
  }
}
