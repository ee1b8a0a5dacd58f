package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.DeletionPolicy;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.external.AdminPool;
import dev.logpipe.operator.external.ClickHouseAdmin;
import dev.logpipe.operator.external.TableState;
import dev.logpipe.operator.status.Reason;
import dev.logpipe.worker.config.LogTableSchema;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.processing.dependent.AbstractDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The pipeline's ClickHouse database, log table and offsets view. External state is read from
 * ClickHouse (the reconciler reschedules itself, so it is re-checked even without events): that is
 * also how an outage or rejected credentials surface, as typed {@code BackendException}s, in
 * StorageReady. A state read or written here is trusted for {@code recheckAfter} (half the resync
 * period), so bursts of events for one pipeline do not each cost ClickHouse queries. Statements
 * come only from {@link LogTableSchema}.
 */
public class ClickHouseTableDependentResource
    extends AbstractDependentResource<TableState, LogPipeline>
    implements Creator<TableState, LogPipeline>,
        Updater<TableState, LogPipeline>,
        Deleter<LogPipeline> {
  public static final String NAME = "storage";

  private static final Set<String> COLUMNS =
      LogTableSchema.COLUMNS.stream()
          .map(LogTableSchema.Column::name)
          .collect(Collectors.toUnmodifiableSet());

  private record Observed(TableState state, long expiresNanos) {}

  private final AdminPool<ClickHouseAdmin> admins;
  private final BackendSecrets secrets;
  private final long recheckAfterNanos;
  private final Map<String, Observed> observed = new ConcurrentHashMap<>();

  public ClickHouseTableDependentResource(
      AdminPool<ClickHouseAdmin> admins, BackendSecrets secrets, Duration recheckAfter) {
    this.admins = admins;
    this.secrets = secrets;
    this.recheckAfterNanos = recheckAfter.toNanos();
  }

  @Override
  public Class<TableState> resourceType() {
    return TableState.class;
  }

  @Override
  public Optional<TableState> getSecondaryResource(
      LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    String key = key(in);
    Observed known = observed.get(key);
    if (known != null && System.nanoTime() - known.expiresNanos() < 0) {
      return Optional.of(known.state());
    }
    observed.remove(key);
    ClickHouseAdmin admin = admin(in.backend(), context);
    admin.requireSupportedVersion();
    Optional<TableState> actual = admin.table(in.names().database(), in.names().table());
    actual.ifPresent(state -> remember(key, state));
    return actual;
  }

  @Override
  protected TableState desired(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    return new TableState(
        in.names().database(),
        in.names().table(),
        pipeline.getSpec().getStorage().getRetentionDays(),
        COLUMNS,
        true);
  }

  @Override
  public Matcher.Result<TableState> match(
      TableState actual, LogPipeline pipeline, Context<LogPipeline> context) {
    TableState desired = desired(pipeline, context);
    return Matcher.Result.computed(desired.satisfiedBy(actual), desired);
  }

  @Override
  public TableState create(TableState desired, LogPipeline pipeline, Context<LogPipeline> context) {
    String db = desired.database();
    String table = desired.table();
    ClickHouseAdmin admin = admin(PipelineInputs.of(pipeline, context).backend(), context);
    admin.ensureDatabase(db, Reason.StorageMigrationFailed);
    admin.execute(
        LogTableSchema.createObjects(db, table, desired.retentionDays()),
        Reason.StorageMigrationFailed);
    remember(key(PipelineInputs.of(pipeline, context)), desired);
    return desired;
  }

  /** Migrates forward: idempotent ADD COLUMN IF NOT EXISTS, the new TTL, missing views. */
  @Override
  public TableState update(
      TableState actual, TableState desired, LogPipeline pipeline, Context<LogPipeline> context) {
    String db = desired.database();
    String table = desired.table();
    List<String> statements = LogTableSchema.migrate(db, table, desired.retentionDays());
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    String key = key(in);
    observed.remove(key);
    admin(in.backend(), context).execute(statements, Reason.StorageMigrationFailed);
    remember(key, desired);
    return desired;
  }

  /** Drops views and tables only under {@code deletionPolicy: Delete}; the database stays. */
  @Override
  public void delete(LogPipeline pipeline, Context<LogPipeline> context) {
    if (pipeline.getSpec().getDeletionPolicy() != DeletionPolicy.Delete) {
      return;
    }
    Optional<ClusterLogBackend> backend = context.getSecondaryResource(ClusterLogBackend.class);
    if (backend.isEmpty()) {
      // Nothing names the server any more: there is no table we could reach.
      return;
    }
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    String db = in.names().database();
    String table = in.names().table();
    observed.remove(key(in));
    admin(in.backend(), context)
        .execute(LogTableSchema.drop(db, table), Reason.StorageMigrationFailed);
  }

  private void remember(String key, TableState state) {
    observed.put(key, new Observed(state, System.nanoTime() + recheckAfterNanos));
  }

  private static String key(PipelineInputs in) {
    return in.backendSpec().getClickhouse().getUrl()
        + " "
        + in.names().database()
        + "."
        + in.names().table();
  }

  private ClickHouseAdmin admin(ClusterLogBackend backend, Context<LogPipeline> context) {
    var spec = backend.getSpec();
    return admins.get(
        spec.getClickhouse().getUrl(),
        secrets.clickHouseCredentials(spec, context),
        spec.getClickhouse().getCredentialsSecret().qualifiedName());
  }

  @Override
  protected Optional<TableState> selectTargetSecondaryResource(
      Set<TableState> secondaryResources, LogPipeline pipeline, Context<LogPipeline> context) {
    // Unused: getSecondaryResource reads ClickHouse directly instead of an event source's cache.
    return Optional.empty();
  }

  @Override
  protected void onCreated(LogPipeline pipeline, TableState created, Context<LogPipeline> ctx) {}

  @Override
  protected void onUpdated(
      LogPipeline pipeline, TableState updated, TableState actual, Context<LogPipeline> ctx) {}
}
