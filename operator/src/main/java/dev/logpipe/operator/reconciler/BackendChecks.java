package dev.logpipe.operator.reconciler;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackendSpec;
import dev.logpipe.operator.api.v1alpha1.SecretCredentialsRef;
import dev.logpipe.operator.dependent.BackendSecrets;
import dev.logpipe.operator.external.AdminPool;
import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.external.ClickHouseAdmin;
import dev.logpipe.operator.external.KafkaProbe;
import dev.logpipe.operator.external.RedisAdmin;
import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.Reason;
import dev.logpipe.worker.config.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Supplier;

/**
 * Reachability checks of one backend's servers, each turned into a condition. ClickHouse reports
 * its version too, so an old server is named as such and not as unreachable.
 */
public final class BackendChecks {
  private final KafkaProbe kafka;
  private final AdminPool<ClickHouseAdmin> clickHouse;
  private final AdminPool<RedisAdmin> redis;
  private final BackendSecrets secrets;

  public BackendChecks(
      KafkaProbe kafka,
      AdminPool<ClickHouseAdmin> clickHouse,
      AdminPool<RedisAdmin> redis,
      BackendSecrets secrets) {
    this.kafka = kafka;
    this.clickHouse = clickHouse;
    this.redis = redis;
    this.secrets = secrets;
  }

  ConditionResult kafka(ClusterLogBackendSpec spec) {
    String bootstrap = spec.getKafka().getBootstrapServers();
    return check(
        () -> {
          int brokers = kafka.brokers(bootstrap);
          return ConditionResult.isTrue(
              Reason.Reachable,
              "Kafka at " + bootstrap + " answers with " + brokers + " broker(s).");
        });
  }

  /** The condition, and the version when the server answered (else null). */
  record ClickHouseCheck(ConditionResult condition, String version) {}

  ClickHouseCheck clickHouse(ClusterLogBackendSpec spec, KubernetesClient client) {
    String url = spec.getClickhouse().getUrl();
    SecretCredentialsRef ref = spec.getClickhouse().getCredentialsSecret();
    String[] version = new String[1];
    ConditionResult condition =
        check(
            () -> {
              ClickHouseAdmin admin =
                  clickHouse.get(url, credentials(ref, client, true), ref.qualifiedName());
              version[0] = admin.currentVersion();
              admin.requireSupportedVersion();
              // Whether per-pipeline users could be made here (re-tried every few minutes);
              // pipelines report it in CredentialsReady.
              admin.checkUserSupport();
              return ConditionResult.isTrue(
                  Reason.Reachable, "ClickHouse " + version[0] + " at " + url + " answers.");
            });
    return new ClickHouseCheck(condition, version[0]);
  }

  ConditionResult redis(ClusterLogBackendSpec spec, KubernetesClient client) {
    String url = spec.getRedis().getUrl();
    SecretCredentialsRef ref = spec.getRedis().getCredentialsSecret();
    return check(
        () -> {
          Credentials credentials =
              ref == null ? new Credentials(null, null) : credentials(ref, client, false);
          redis.get(url, credentials, ref == null ? null : ref.qualifiedName()).ping();
          return ConditionResult.isTrue(Reason.Reachable, "Redis at " + url + " answers.");
        });
  }

  private Credentials credentials(
      SecretCredentialsRef ref, KubernetesClient client, boolean userRequired) {
    secrets.requireInOperatorNamespace(ref);
    Secret secret = client.secrets().inNamespace(ref.getNamespace()).withName(ref.getName()).get();
    if (secret == null) {
      throw BackendSecrets.missing(ref);
    }
    return BackendSecrets.credentials(ref, secret, userRequired);
  }

  private static ConditionResult check(Supplier<ConditionResult> probe) {
    try {
      return probe.get();
    } catch (BackendException e) {
      return ConditionResult.isFalse(e.reason(), e.getMessage());
    } catch (IllegalArgumentException e) {
      // A URL the schema lets through but a client refuses (e.g. port 99999): the user's to fix.
      return ConditionResult.isFalse(
          Reason.InvalidSpec, "The backend's address cannot be used: " + e.getMessage());
    }
  }
}
