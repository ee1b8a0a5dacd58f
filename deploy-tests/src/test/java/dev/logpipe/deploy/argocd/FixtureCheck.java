package dev.logpipe.deploy.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logpipe.operator.status.ConditionType;
import dev.logpipe.operator.status.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a status fixture may hold so that it describes something the operator can write (a
 * hand-written fixture otherwise drifts into testing the Lua script against fiction).
 */
final class FixtureCheck {
  private static final Set<String> TYPES = names(ConditionType.values());
  private static final Set<String> REASONS = names(Reason.values());
  private static final Set<String> BACKEND_ONLY =
      Set.of(
          ConditionType.KafkaReachable.name(),
          ConditionType.ClickHouseReachable.name(),
          ConditionType.RedisReachable.name());

  private FixtureCheck() {}

  static List<String> problems(JsonNode object) {
    List<String> out = new ArrayList<>();
    boolean pipeline = "LogPipeline".equals(object.path("kind").asText());
    JsonNode spec = object.path("spec");
    boolean gateway = spec.path("gateway").path("enabled").asBoolean(false);
    boolean cacheOff =
        spec.path("cache").has("enabled") && !spec.path("cache").path("enabled").asBoolean();
    for (JsonNode c : object.path("status").path("conditions")) {
      String type = c.path("type").asText();
      String reason = c.path("reason").asText(null);
      if (!TYPES.contains(type)) {
        out.add("condition " + type + " is not a ConditionType");
      } else if (!type.equals(ConditionType.Ready.name())
          && pipeline == BACKEND_ONLY.contains(type)) {
        out.add(
            "condition "
                + type
                + " does not belong on a "
                + (pipeline ? "LogPipeline" : "ClusterLogBackend"));
      }
      if (!Set.of("True", "False", "Unknown").contains(c.path("status").asText())) {
        out.add(type + " has status " + c.path("status"));
      }
      if (pipeline && type.equals(ConditionType.GatewayAvailable.name()) && !gateway) {
        out.add("GatewayAvailable on a pipeline whose spec.gateway.enabled is not true");
      }
      if (reason != null && !REASONS.contains(reason)) {
        out.add("reason " + reason + " is not a Reason");
      }
      if (Reason.Disabled.name().equals(reason)
          && !(pipeline && type.equals(ConditionType.CacheReady.name()) && cacheOff)) {
        out.add("reason Disabled on " + type + " (only a switched-off cache is Disabled)");
      }
    }
    return out;
  }

  private static Set<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).collect(Collectors.toSet());
  }
}
