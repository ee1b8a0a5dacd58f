package dev.logpipe.operator.external;

import dev.logpipe.operator.status.Reason;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;

/** Asks a Kafka cluster to describe itself, with short timeouts so a dead cluster fails fast. */
public final class KafkaProbe {
  private static final int TIMEOUT_MS = 5_000;

  /** Brokers the cluster reports; throws KafkaUnreachable when it does not answer in time. */
  public int brokers(String bootstrapServers) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 2_000);
    props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 2_000);
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "logpipe-operator-probe");
    // A probe asks once; re-bootstrapping in a loop only floods the log while Kafka is down.
    props.put(AdminClientConfig.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
    Admin admin = null;
    try {
      admin = Admin.create(props);
      DescribeClusterResult result =
          admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS));
      return result.nodes().get(TIMEOUT_MS + 1_000, TimeUnit.MILLISECONDS).size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable(bootstrapServers, e);
    } catch (Exception e) {
      throw unreachable(bootstrapServers, e);
    } finally {
      if (admin != null) {
        admin.close(Duration.ofSeconds(1));
      }
    }
  }

  private static BackendException unreachable(String bootstrap, Exception e) {
    return new BackendException(
        Reason.KafkaUnreachable,
        "Cannot reach Kafka at "
            + bootstrap
            + ": "
            + BackendException.shortCause(e)
            + "; the operator checks again periodically");
  }
}
