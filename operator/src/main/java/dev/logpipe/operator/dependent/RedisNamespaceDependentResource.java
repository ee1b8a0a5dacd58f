package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.external.AdminPool;
import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.external.RedisAdmin;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.status.Reason;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import java.util.Optional;

/**
 * The pipeline's Redis key namespace {@code logpipe:<ns>:<name>:}. Nothing is created up front (the
 * workers write the keys); reconciling checks that Redis answers, deleting removes the keys. The
 * keys are a cache, so they go whatever the deletion policy says.
 */
public class RedisNamespaceDependentResource
    implements DependentResource<String, LogPipeline>, Deleter<LogPipeline> {
  public static final String NAME = "cache";

  private final AdminPool<RedisAdmin> admins;
  private final BackendSecrets secrets;

  public RedisNamespaceDependentResource(AdminPool<RedisAdmin> admins, BackendSecrets secrets) {
    this.admins = admins;
    this.secrets = secrets;
  }

  @Override
  public ReconcileResult<String> reconcile(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    admin(in.backend(), context).ping();
    return ReconcileResult.noOperation(in.names().redisKeyPrefix());
  }

  @Override
  public void delete(LogPipeline pipeline, Context<LogPipeline> context) {
    Optional<ClusterLogBackend> backend = context.getSecondaryResource(ClusterLogBackend.class);
    if (backend.isEmpty() || backend.get().getSpec().getRedis() == null) {
      return;
    }
    PipelineNames names = PipelineNames.of(pipeline, backend.get());
    if (!admin(backend.get(), context).unlinkPrefix(names.redisKeyPrefix())) {
      // Bounded per call; the failed cleanup is retried and continues where keys remain.
      throw new BackendException(
          Reason.Deleting,
          "Still removing Redis keys " + names.redisKeyPrefix() + "*; the operator continues");
    }
  }

  @Override
  public Class<String> resourceType() {
    return String.class;
  }

  @Override
  public String name() {
    return NAME;
  }

  private RedisAdmin admin(ClusterLogBackend backend, Context<LogPipeline> context) {
    var spec = backend.getSpec();
    var ref = spec.getRedis().getCredentialsSecret();
    return admins.get(
        spec.getRedis().getUrl(),
        secrets.redisCredentials(spec, context),
        ref == null ? null : ref.qualifiedName());
  }
}
