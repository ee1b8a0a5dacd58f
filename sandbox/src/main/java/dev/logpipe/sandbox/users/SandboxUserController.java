package dev.logpipe.sandbox.users;

import dev.logpipe.sandbox.KeyedBackoff;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.strimzi.api.kafka.model.common.Condition;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.KafkaUserStatus;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEV-ONLY stand-in for Strimzi's User Operator, used by the sandbox and its tests and nowhere
 * else: watches KafkaUser resources (kafka.strimzi.io/v1, any namespace) and makes them real in the
 * sandbox's local Kafka through the Admin API on the plaintext (super user) listener: a
 * SCRAM-SHA-512 credential with a random password, exactly the {@code authorization: simple} ACLs,
 * and the user's Secret written the way Strimzi writes it (keys {@code password} and {@code
 * sasl.jaas.config}, owned by the KafkaUser). Status as Strimzi reports it: Ready,
 * observedGeneration, username, secret. A deleted KafkaUser loses its credential, its ACLs and its
 * Secret.
 *
 * <p>A deleted user Secret is written again with a newly generated password, which becomes the
 * user's SCRAM credential, as Strimzi renews a generated password (logpipe's rotation relies on
 * it). Not modelled: TLS users, {@code spec.authentication.password} (a given password), quotas,
 * templates, the {@code strimzi.io/cluster} label check (there is one cluster), a Secret edited
 * behind its back (repaired only on the next spec change), and one namespace per operator: the
 * Kafka username is the KafkaUser's name, so two KafkaUsers of one name in two namespaces would
 * share one Kafka user (Strimzi watches one namespace, so it cannot happen there).
 *
 * <p>Same loop as {@link dev.logpipe.sandbox.topics.SandboxTopicController}: spec changes only, one
 * worker thread, exponential backoff (1 s doubling to 60 s) while a user cannot be applied, status
 * written only when it changed.
 */
public final class SandboxUserController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxUserController.class);
  static final long FIRST_RETRY_MS = 1_000;
  static final long MAX_RETRY_MS = 60_000;

  private final KubernetesClient client;
  private final Admin admin;
  private final KafkaUserSync sync;
  private final Clock clock;
  // One thread: syncs of the same user never race, and the informer's thread never blocks.
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "sandbox-user-controller"));
  private SharedIndexInformer<KafkaUser> informer;
  private SharedIndexInformer<Secret> secrets;
  // Touched only on the worker thread.
  private final KeyedBackoff backoff;

  public SandboxUserController(KubernetesClient client, String kafkaBootstrap, Clock clock) {
    this.client = client;
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "sandbox-user-controller");
    this.admin = Admin.create(props);
    this.sync = new KafkaUserSync(admin);
    this.clock = clock;
    this.backoff = new KeyedBackoff(worker, FIRST_RETRY_MS, MAX_RETRY_MS);
  }

  public SandboxUserController start() {
    informer =
        client
            .resources(KafkaUser.class)
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(KafkaUser user) {
                    worker.execute(() -> reconcile(Cache.metaNamespaceKeyFunc(user), true));
                  }

                  @Override
                  public void onUpdate(KafkaUser old, KafkaUser user) {
                    // Status writes (ours) and resyncs change no spec: the backoff timer retries.
                    if (!Objects.equals(
                        old.getMetadata().getGeneration(), user.getMetadata().getGeneration())) {
                      worker.execute(() -> reconcile(Cache.metaNamespaceKeyFunc(user), true));
                    }
                  }

                  @Override
                  public void onDelete(KafkaUser user, boolean unknownFinalState) {
                    worker.execute(
                        () -> {
                          backoff.forget(Cache.metaNamespaceKeyFunc(user));
                          delete(user);
                        });
                  }
                },
                30_000);
    // As Strimzi's User Operator: it watches the user Secrets too, and a deleted one is written
    // again, with a newly generated password (how a generated SCRAM password is renewed).
    secrets =
        client
            .secrets()
            .inAnyNamespace()
            .withLabel("strimzi.io/kind", KafkaUser.RESOURCE_KIND)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Secret secret) {}

                  @Override
                  public void onUpdate(Secret old, Secret secret) {}

                  @Override
                  public void onDelete(Secret secret, boolean unknownFinalState) {
                    worker.execute(() -> renew(Cache.metaNamespaceKeyFunc(secret)));
                  }
                },
                30_000);
    return this;
  }

  /**
   * A user Secret was deleted: its KafkaUser, if there is one, is applied again whatever its status
   * says, which generates a new password (there is no Secret to reuse one from), sets it as the
   * user's SCRAM credential (the old one stops working) and writes the Secret.
   */
  private void renew(String key) {
    KafkaUser user = informer.getStore().getByKey(key);
    if (user == null || !scram(user)) {
      return;
    }
    backoff.forget(key);
    if (reconcile(user, true)) {
      LOG.info(
          "event=user_password_renewed namespace={} name={}",
          user.getMetadata().getNamespace(),
          user.getMetadata().getName());
      backoff.succeeded(key);
    } else {
      backoff.failed(key, () -> reconcile(key, false));
    }
  }

  /** Syncs the KafkaUser as it is now in the cache; a deleted one is forgotten. */
  private void reconcile(String key, boolean fresh) {
    if (fresh) {
      backoff.forget(key); // a spec change starts the backoff over
    } else {
      backoff.running(key);
    }
    KafkaUser user = informer.getStore().getByKey(key);
    if (user == null) {
      backoff.forget(key);
      return;
    }
    if (reconcile(user, false)) {
      backoff.succeeded(key);
      return;
    }
    backoff.failed(key, () -> reconcile(key, false));
  }

  /**
   * True when the user is as specified (or, unless {@code force}, already reported Ready for this
   * generation).
   */
  private boolean reconcile(KafkaUser user, boolean force) {
    long generation =
        user.getMetadata().getGeneration() == null ? 0 : user.getMetadata().getGeneration();
    KafkaUserStatus old = user.getStatus();
    if (!force && old != null && old.getObservedGeneration() == generation && isReady(old)) {
      return true;
    }
    String problem = apply(user);
    KafkaUserStatus status = new KafkaUserStatus();
    status.setObservedGeneration(generation);
    status.setUsername(user.getMetadata().getName());
    if (problem == null && scram(user)) {
      status.setSecret(user.getMetadata().getName());
    }
    status.setConditions(List.of(condition(problem, old)));
    if (!status.equals(old)) {
      writeStatus(user, status);
      LOG.info(
          "event=user_synced namespace={} name={} ready={}",
          user.getMetadata().getNamespace(),
          user.getMetadata().getName(),
          problem == null);
    }
    return problem == null;
  }

  /** Applies the user; returns null or what a user can act on (never the password). */
  private String apply(KafkaUser user) {
    String name = user.getMetadata().getName();
    try {
      if (user.getSpec() != null && user.getSpec().getAuthentication() != null && !scram(user)) {
        return "authentication type "
            + user.getSpec().getAuthentication().getType()
            + " is not supported by the sandbox's user stand-in";
      }
      if (scram(user)
          && user.getSpec().getAuthentication()
              instanceof KafkaUserScramSha512ClientAuthentication s
          && s.getPassword() != null) {
        return "a given password (spec.authentication.password) is not supported by the"
            + " sandbox's user stand-in";
      }
      var acls = KafkaUserAcls.desired(name, user.getSpec());
      if (scram(user)) {
        Secret existing =
            client.secrets().inNamespace(user.getMetadata().getNamespace()).withName(name).get();
        if (existing != null && !KafkaUserSecret.ownedBy(existing, user)) {
          return "Secret " + name + " exists and is not owned by this KafkaUser";
        }
        String password = KafkaUserSecret.existingPassword(existing, user);
        if (password == null) {
          password = KafkaUserSecret.newPassword();
        }
        // The Secret first: the password Kafka accepts is always one a reader can find.
        client
            .resource(KafkaUserSecret.build(user, password))
            .createOr(NonDeletingOperation::update);
        sync.upsertScram(name, password);
      }
      sync.syncAcls(name, acls);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return "Kafka: " + cause.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (RuntimeException e) {
      return "Kubernetes: " + e.getMessage();
    }
  }

  private void writeStatus(KafkaUser user, KafkaUserStatus status) {
    try {
      KafkaUser patch = new KafkaUser();
      // No resourceVersion: a status patch must not fail because the spec moved on meanwhile.
      patch.setMetadata(
          new ObjectMetaBuilder()
              .withName(user.getMetadata().getName())
              .withNamespace(user.getMetadata().getNamespace())
              .build());
      patch.setStatus(status);
      client.resources(KafkaUser.class).resource(patch).patchStatus();
    } catch (RuntimeException e) {
      LOG.warn(
          "event=status_failed name={} error=\"{}\"", user.getMetadata().getName(), e.getMessage());
    }
  }

  private Condition condition(String problem, KafkaUserStatus old) {
    String status = problem == null ? "True" : "False";
    String since = clock.instant().toString();
    if (old != null && old.getConditions() != null) {
      for (Condition c : old.getConditions()) {
        if ("Ready".equals(c.getType()) && status.equals(c.getStatus())) {
          since = c.getLastTransitionTime();
        }
      }
    }
    ConditionBuilder b =
        new ConditionBuilder().withType("Ready").withStatus(status).withLastTransitionTime(since);
    if (problem != null) {
      b.withReason(problem.startsWith("Kafka: ") ? "KafkaError" : "InvalidResourceException")
          .withMessage(problem);
    }
    return b.build();
  }

  private void delete(KafkaUser user) {
    String name = user.getMetadata().getName();
    try {
      sync.delete(name);
      Secret secret =
          client.secrets().inNamespace(user.getMetadata().getNamespace()).withName(name).get();
      // Garbage collection would remove it too (owner reference); not on a cluster without it.
      if (secret != null && KafkaUserSecret.ownedBy(secret, user)) {
        client.resource(secret).delete();
      }
      LOG.info("event=user_deleted namespace={} name={}", user.getMetadata().getNamespace(), name);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.warn("event=user_delete_failed name={} error=\"{}\"", name, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean scram(KafkaUser user) {
    return user.getSpec() != null
        && user.getSpec().getAuthentication() instanceof KafkaUserScramSha512ClientAuthentication;
  }

  private static boolean isReady(KafkaUserStatus status) {
    return status.getConditions() != null
        && status.getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    if (secrets != null) {
      secrets.close();
    }
    worker.shutdownNow();
    admin.close();
  }
}
