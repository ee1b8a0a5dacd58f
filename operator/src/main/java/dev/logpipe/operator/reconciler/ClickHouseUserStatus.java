package dev.logpipe.operator.reconciler;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.dependent.BackendSecrets;
import dev.logpipe.operator.dependent.PipelineInputs;
import dev.logpipe.operator.external.AdminPool;
import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.external.ClickHouseAdmin;
import dev.logpipe.operator.external.ClickHouseAdmin.UserSupport;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/**
 * The ClickHouse part of CredentialsReady. Per-pipeline ClickHouse users are not created yet, so
 * every pipeline uses the backend's ClickHouse credentials; this says why, from what the backend
 * check found when it tried to create a user on the server ({@link
 * ClickHouseAdmin#checkUserSupport}) and never asks the server itself, so a pipeline's reconcile
 * does not wait for ClickHouse.
 */
final class ClickHouseUserStatus {
  private final AdminPool<ClickHouseAdmin> admins;
  private final BackendSecrets secrets;

  ClickHouseUserStatus(AdminPool<ClickHouseAdmin> admins, BackendSecrets secrets) {
    this.admins = admins;
    this.secrets = secrets;
  }

  ClickHouseUserOutcome of(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    var clickHouse = in.backendSpec().getClickhouse();
    String url = clickHouse.getUrl();
    Optional<UserSupport> known;
    try {
      known =
          admins
              .get(
                  url,
                  secrets.clickHouseCredentials(in.backendSpec(), context),
                  clickHouse.getCredentialsSecret().qualifiedName())
              .knownUserSupport();
    } catch (BackendException e) {
      known = Optional.empty(); // the Secret is missing or invalid: Accepted says so
    }
    String copy = in.names().credentialsSecret();
    if (known.isEmpty()) {
      return ClickHouseUserOutcome.shared(
          copy,
          "whether ClickHouse at "
              + url
              + " can hold per-pipeline users is not known yet (the backend check tries it)");
    }
    if (!known.get().accepted()) {
      return ClickHouseUserOutcome.shared(
          copy, "the server cannot create per-pipeline users: " + known.get().serverMessage());
    }
    return ClickHouseUserOutcome.shared(
        copy,
        "this operator version does not create per-pipeline ClickHouse users yet, although "
            + url
            + " would accept them");
  }
}
