package dev.logpipe.operator.reconciler;

import dev.logpipe.operator.api.v1alpha1.BackendKafkaAuthentication;
import dev.logpipe.operator.dependent.CredentialsSecretDependentResource;
import dev.logpipe.operator.dependent.GatewayKafkaUserDependentResource;
import dev.logpipe.operator.dependent.PipelineInputs;
import dev.logpipe.operator.dependent.WorkerKafkaUserDependentResource;
import dev.logpipe.operator.model.KafkaUserFactory;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.status.ConditionStatus;
import dev.logpipe.operator.status.Reason;
import io.strimzi.api.kafka.model.common.Condition;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kafka part of CredentialsReady: the pipeline's own KafkaUsers (and whether Strimzi made them
 * and wrote their Secrets), or plaintext without authentication, said so a platform admin sees it.
 */
final class KafkaUserReadiness {
  private static final Set<Reason> OWN_REASONS =
      Set.of(
          Reason.KafkaUserPending,
          Reason.KafkaUserSecretInvalid,
          Reason.KafkaUserOwnedByOther,
          Reason.KafkaUserNotReady);

  /**
   * @param failed null when the pods use the pipeline's own users; otherwise why not
   * @param status False, or Unknown while waiting for Strimzi
   */
  record Outcome(Reason failed, ConditionStatus status, String message) {
    /** A failure that leaves pods waiting or broken, reported before the other backends'. */
    boolean blocking() {
      return failed != null && failed != Reason.KafkaWithoutAuthentication;
    }
  }

  private KafkaUserReadiness() {}

  /**
   * @param errors failures of this reconciliation's dependents, by dependent name
   * @param users the pipeline's KafkaUsers as the informers hold them
   */
  static Outcome of(PipelineInputs in, Map<String, Exception> errors, Collection<KafkaUser> users) {
    BackendKafkaAuthentication auth = in.backendSpec().getKafka().getAuthentication();
    if (auth == null) {
      return new Outcome(
          Reason.KafkaWithoutAuthentication,
          ConditionStatus.False,
          "plaintext without authentication (development only): the pods connect to "
              + in.backendSpec().getKafka().getBootstrapServers()
              + " with no user, so any client of that listener can read and write every"
              + " pipeline's topics; set spec.kafka.authentication in ClusterLogBackend "
              + in.backend().getMetadata().getName());
    }
    for (String dependent :
        List.of(
            WorkerKafkaUserDependentResource.NAME,
            GatewayKafkaUserDependentResource.NAME,
            CredentialsSecretDependentResource.NAME)) {
      Exception e = errors.get(dependent);
      Reason reason = DependentFailures.backendReason(e);
      if (e == null
          || (dependent.equals(CredentialsSecretDependentResource.NAME)
              && (reason == null || !OWN_REASONS.contains(reason)))) {
        // A credentials Secret failing for ClickHouse's Secret, or refused by the API server (no
        // backend reason), is WorkersAvailable's to report.
        continue;
      }
      var d = DependentFailures.describe(e, "the pipeline's " + dependent);
      return new Outcome(
          d.reason(),
          reason == Reason.KafkaUserPending ? ConditionStatus.Unknown : ConditionStatus.False,
          d.message());
    }
    PipelineNames names = in.names();
    String ns = in.backendSpec().getKafka().getStrimziCluster().getNamespace();
    List<String> expected = new ArrayList<>(List.of(KafkaUserFactory.workerUser(names)));
    if (in.pipeline().getSpec().getGateway().isEnabled()) {
      expected.add(KafkaUserFactory.gatewayUser(names));
    }
    for (String user : expected) {
      KafkaUser found =
          users.stream()
              .filter(u -> user.equals(u.getMetadata().getName()))
              .findFirst()
              .orElse(null);
      String notReady = notReady(found);
      if (notReady != null) {
        return new Outcome(
            Reason.KafkaUserNotReady,
            found == null || found.getStatus() == null
                ? ConditionStatus.Unknown
                : ConditionStatus.False,
            "KafkaUser " + ns + "/" + user + " " + notReady);
      }
    }
    String deadLetters =
        in.pipeline().getSpec().getDeadLetter().isEnabled()
            ? ", writes dead letters to " + names.deadLetterTopic()
            : "";
    String gateway =
        expected.size() > 1
            ? " and " + expected.get(1) + " for the gateway (writes " + names.topic() + " only)"
            : "";
    return new Outcome(
        null,
        ConditionStatus.True,
        "own SCRAM-SHA-512 users "
            + expected.get(0)
            + " for the workers (reads "
            + names.topic()
            + " in group "
            + names.groupId()
            + deadLetters
            + ")"
            + gateway
            + ", on "
            + auth.getBootstrapServers()
            + " ("
            + auth.getSecurityProtocol()
            + ")");
  }

  /** Why Strimzi has not made {@code user} as specified yet, or null when it has. */
  private static String notReady(KafkaUser user) {
    if (user == null) {
      return "is not created yet";
    }
    var status = user.getStatus();
    Long generation = user.getMetadata().getGeneration();
    if (status == null || (generation != null && status.getObservedGeneration() < generation)) {
      return "is not reconciled by Strimzi's User Operator yet";
    }
    for (Condition c :
        status.getConditions() == null ? List.<Condition>of() : status.getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus())
            ? null
            : "is not Ready: " + (c.getMessage() == null ? c.getReason() : c.getMessage());
      }
    }
    return "reports no Ready condition yet";
  }
}
