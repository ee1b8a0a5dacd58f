package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.external.AdminPool;
import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.external.RedisAdmin;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.model.StorageOwner;
import dev.logpipe.operator.status.Reason;
import dev.logpipe.worker.cache.RedisCommandsUsed;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's Redis key namespace {@code logpipe:<ns>:<name>:}. Nothing is created up front (the
 * workers write the keys) but the owner key {@code <prefix>owner}, which names the pipeline;
 * reconciling checks that Redis answers and that the keys are this pipeline's, deleting removes the
 * keys unless the owner key names another pipeline. The keys are a cache, so they go whatever the
 * deletion policy says.
 *
 * <p>Also the pipeline's Redis ACL user ({@link PipelineNames#backendUser()}), which the workers
 * and the gateway authenticate as: set on every reconcile to exactly the commands they use ({@link
 * RedisCommandsUsed}) on the prefix's keys, with the password from the pipeline's credentials
 * Secret (so it runs after that Secret); deleted with the keys, whatever the deletion policy (a
 * credential outlives nothing it could serve), and also when the keys stay because the owner key
 * names someone else (the user could have written that key itself).
 */
public class RedisNamespaceDependentResource
    implements DependentResource<String, LogPipeline>, Deleter<LogPipeline> {
  public static final String NAME = "cache";
  private static final Logger LOG = LoggerFactory.getLogger(RedisNamespaceDependentResource.class);

  private final AdminPool<RedisAdmin> admins;
  private final BackendSecrets secrets;

  public RedisNamespaceDependentResource(AdminPool<RedisAdmin> admins, BackendSecrets secrets) {
    this.admins = admins;
    this.secrets = secrets;
  }

  /** The key under the prefix that names the owning pipeline (its {@link StorageOwner}). */
  public static final String OWNER_KEY = "owner";

  @Override
  public ReconcileResult<String> reconcile(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    RedisAdmin admin = admin(in.backend(), context);
    StorageOwner me = ClickHouseTableDependentResource.owner(in);
    String key = in.names().redisKeyPrefix() + OWNER_KEY;
    String stored = admin.claim(key, me.comment());
    requireOwnedBy(me, stored, in.names().redisKeyPrefix());
    if (!stored.equals(me.comment())) {
      admin.set(key, me.comment()); // this pipeline again, with a new UID or backend
    }
    var credentials = CredentialsSecretDependentResource.desiredCopy(secrets, pipeline, context);
    admin.setPipelineUser(
        in.names().backendUser(),
        CredentialsSecretDependentResource.redisPassword(credentials),
        in.names().redisKeyPrefix(),
        RedisCommandsUsed.all());
    return ReconcileResult.noOperation(in.names().redisKeyPrefix());
  }

  /** Passes when {@code stored} names {@code me}; otherwise refuses, naming the owner. */
  static void requireOwnedBy(StorageOwner me, String stored, String prefix) {
    Optional<StorageOwner> owner = StorageOwner.parse(stored);
    if (owner.isPresent() && me.samePipeline(owner.get())) {
      return;
    }
    String who =
        owner
            .map(o -> "LogPipeline " + o.qualifiedName() + " (backend " + o.backend() + ")")
            .orElse("something other than logpipe (key " + prefix + OWNER_KEY + ")");
    throw new BackendException(
        Reason.CacheOwnedByOther,
        "Redis keys "
            + prefix
            + "* belong to "
            + who
            + "; this pipeline's live views stay off them and its deletion leaves them.");
  }

  @Override
  public void delete(LogPipeline pipeline, Context<LogPipeline> context) {
    Optional<ClusterLogBackend> backend = context.getSecondaryResource(ClusterLogBackend.class);
    if (backend.isEmpty() || backend.get().getSpec().getRedis() == null) {
      return;
    }
    PipelineNames names = PipelineNames.of(pipeline, backend.get());
    RedisAdmin admin = admin(backend.get(), context);
    // The user first, whoever the owner key names: the user's name is this pipeline's by
    // construction (no other pipeline derives it), while the owner key lies under the prefix the
    // user may SET, so a tenant could forge it to keep its credential alive after the pipeline.
    // DELUSER also closes the user's connections, so no worker writes behind the unlink.
    if (admin.deletePipelineUser(names.backendUser())) {
      LOG.info("event=redis_user_deleted user={}", names.backendUser());
    }
    String stored = admin.get(names.redisKeyPrefix() + OWNER_KEY);
    if (stored != null) {
      try {
        requireOwnedBy(
            new StorageOwner(
                pipeline.getMetadata().getUid(),
                names.namespace(),
                names.name(),
                backend.get().getMetadata().getName()),
            stored,
            names.redisKeyPrefix());
      } catch (BackendException e) {
        LOG.warn("event=cache_not_removed message=\"{}\"", e.getMessage());
        return;
      }
    }
    if (!admin.unlinkPrefix(names.redisKeyPrefix())) {
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
