package dev.logpipe.sandbox.users;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.resource.ResourcePatternFilter;

/**
 * Applies one user's SCRAM-SHA-512 credential and ACLs to the local Kafka through the Admin API (on
 * the plaintext listener, whose principal is a super user), as Strimzi's User Operator does: the
 * user ends up with exactly the given bindings (missing ones created, any other binding of its
 * principal deleted).
 */
final class KafkaUserSync {
  // Strimzi's User Operator uses 4096 iterations for SCRAM-SHA-512 credentials.
  static final int SCRAM_ITERATIONS = 4096;
  private static final long TIMEOUT_SECONDS = 30;

  private final Admin admin;

  KafkaUserSync(Admin admin) {
    this.admin = admin;
  }

  void upsertScram(String username, String password)
      throws ExecutionException, InterruptedException, TimeoutException {
    admin
        .alterUserScramCredentials(
            List.of(
                new UserScramCredentialUpsertion(
                    username,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                    password)))
        .all()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** Makes the principal's bindings exactly {@code desired}. */
  void syncAcls(String username, Set<AclBinding> desired)
      throws ExecutionException, InterruptedException, TimeoutException {
    Set<AclBinding> current =
        new HashSet<>(
            admin.describeAcls(filter(username)).values().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    Set<AclBinding> missing = new HashSet<>(desired);
    missing.removeAll(current);
    if (!missing.isEmpty()) {
      admin.createAcls(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    List<AclBindingFilter> extra =
        current.stream().filter(b -> !desired.contains(b)).map(AclBinding::toFilter).toList();
    if (!extra.isEmpty()) {
      admin.deleteAcls(extra).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** Removes the user's credential and every binding of its principal; absent ones are fine. */
  void delete(String username) throws ExecutionException, InterruptedException, TimeoutException {
    admin.deleteAcls(List.of(filter(username))).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    try {
      admin
          .alterUserScramCredentials(
              List.of(new UserScramCredentialDeletion(username, ScramMechanism.SCRAM_SHA_512)))
          .all()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof ResourceNotFoundException)) {
        throw e;
      }
    }
  }

  private static AclBindingFilter filter(String username) {
    return new AclBindingFilter(
        ResourcePatternFilter.ANY,
        new AccessControlEntryFilter(
            KafkaUserAcls.principal(username), null, AclOperation.ANY, AclPermissionType.ANY));
  }
}
