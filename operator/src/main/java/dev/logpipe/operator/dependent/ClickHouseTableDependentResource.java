package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.DeletionPolicy;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.external.AdminPool;
import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.external.ClickHouseAdmin;
import dev.logpipe.operator.external.TableState;
import dev.logpipe.operator.model.StorageOwner;
import dev.logpipe.operator.status.Reason;
import dev.logpipe.worker.config.LogTableSchema;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's ClickHouse database, log table and derived views, provisioned through the {@link
 * StorageProvisioner}: a reconciliation never waits for ClickHouse. It reports the last outcome (a
 * failure is thrown as the typed {@code BackendException} that StorageReady explains), and until
 * there is one the dependent is not ready ({@link StorageProvisionedCondition}), so StorageReady
 * says the table is being provisioned. When the outcome changes, this dependent's own event source
 * reconciles the pipeline again. Statements come only from {@link LogTableSchema}.
 */
public class ClickHouseTableDependentResource
    implements DependentResource<TableState, LogPipeline>, Deleter<LogPipeline> {
  public static final String NAME = "storage";
  private static final Logger LOG = LoggerFactory.getLogger(ClickHouseTableDependentResource.class);

  private static final Set<String> COLUMNS =
      LogTableSchema.COLUMNS.stream()
          .map(LogTableSchema.Column::name)
          .collect(Collectors.toUnmodifiableSet());

  private final AdminPool<ClickHouseAdmin> admins;
  private final BackendSecrets secrets;
  private final StorageProvisioner provisioner;
  private final SimpleInboundEventSource<LogPipeline> provisioned =
      new SimpleInboundEventSource<>(NAME);

  public ClickHouseTableDependentResource(
      AdminPool<ClickHouseAdmin> admins, BackendSecrets secrets, StorageProvisioner provisioner) {
    this.admins = admins;
    this.secrets = secrets;
    this.provisioner = provisioner;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Class<TableState> resourceType() {
    return TableState.class;
  }

  @Override
  public Optional<? extends EventSource<TableState, LogPipeline>> eventSource(
      EventSourceContext<LogPipeline> context) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    EventSource<TableState, LogPipeline> source = (EventSource) provisioned;
    return Optional.of(source);
  }

  /** The table as last provisioned for the current spec; empty while that is still under way. */
  @Override
  public Optional<TableState> getSecondaryResource(
      LogPipeline pipeline, Context<LogPipeline> context) {
    return outcome(pipeline, context)
        .map(
            o -> {
              if (o instanceof StorageProvisioner.Failed f) {
                throw f.error();
              }
              return ((StorageProvisioner.Provisioned) o).state();
            });
  }

  @Override
  public ReconcileResult<TableState> reconcile(LogPipeline pipeline, Context<LogPipeline> context) {
    // Nothing to do here: the provisioner creates or migrates; this reports what it last did.
    return ReconcileResult.noOperation(getSecondaryResource(pipeline, context).orElse(null));
  }

  private Optional<StorageProvisioner.Outcome> outcome(
      LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    StorageOwner owner = owner(in);
    TableState desired =
        new TableState(
            in.names().database(),
            in.names().table(),
            pipeline.getSpec().getStorage().getRetentionDays(),
            COLUMNS,
            true,
            owner.comment());
    ResourceID id = ResourceID.fromResource(pipeline);
    return provisioner.request(
        new StorageProvisioner.Job(
            server(in.backend()),
            StorageProvisioner.on(admin(in.backend(), context), owner),
            desired,
            () -> provisioned.propagateEvent(id)));
  }

  /** The identity written into (and checked against) the table's comment. */
  static StorageOwner owner(PipelineInputs in) {
    return new StorageOwner(
        in.pipeline().getMetadata().getUid(),
        in.names().namespace(),
        in.names().name(),
        in.backend().getMetadata().getName());
  }

  /**
   * Whether the pipeline's table is known to be its own, so its workers may run: from the last
   * provisioning on the server's queue (nothing is asked of ClickHouse here).
   */
  public static StorageProvisioner.Ownership ownership(
      StorageProvisioner provisioner, PipelineInputs in) {
    return provisioner.ownership(server(in.backend()), in.names().database(), in.names().table());
  }

  /**
   * Drops views and tables only under {@code deletionPolicy: Delete} (the database stays), without
   * holding the reconcile thread: while the drop waits in the server's queue this fails, so the
   * finalizer stays and the cleanup is retried. A table whose comment names another pipeline is not
   * dropped (checked on the queue, right before the DROP).
   */
  @Override
  public void delete(LogPipeline pipeline, Context<LogPipeline> context) {
    Optional<ClusterLogBackend> backend = context.getSecondaryResource(ClusterLogBackend.class);
    if (backend.isEmpty()) {
      // Nothing names the server any more: there is no table we could reach.
      LOG.warn(
          "event=table_not_dropped reason=\"backend {} not found\" deletionPolicy={}",
          pipeline.getSpec().getBackend(),
          pipeline.getSpec().getDeletionPolicy());
      return;
    }
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    String db = in.names().database();
    String table = in.names().table();
    if (pipeline.getSpec().getDeletionPolicy() != DeletionPolicy.Delete) {
      provisioner.forget(db, table);
      return;
    }
    String server = server(in.backend());
    var storage = StorageProvisioner.on(admin(in.backend(), context), owner(in));
    if (!provisioner.drop(server, storage, db, table)) {
      throw new BackendException(
          Reason.Deleting,
          "Dropping " + db + "." + table + " is queued on ClickHouse at " + server);
    }
  }

  static String server(ClusterLogBackend backend) {
    return backend.getSpec().getClickhouse().getUrl();
  }

  private ClickHouseAdmin admin(ClusterLogBackend backend, Context<LogPipeline> context) {
    var spec = backend.getSpec();
    return admins.get(
        spec.getClickhouse().getUrl(),
        secrets.clickHouseCredentials(spec, context),
        spec.getClickhouse().getCredentialsSecret().qualifiedName());
  }
}
