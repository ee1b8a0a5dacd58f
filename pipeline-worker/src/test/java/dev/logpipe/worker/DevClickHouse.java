package dev.logpipe.worker;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.clickhouse.ClickHouseDevService;
import dev.logpipe.worker.config.Credentials;
import java.util.Map;

/**
 * The dev services' ClickHouse as workers, gateways and test clients must log in to it: an external
 * server's credentials (from {@code LOGPIPE_CLICKHOUSE_URL}) or chDB's.
 */
public final class DevClickHouse {
  private DevClickHouse() {}

  public static Credentials credentials(DevServices services) {
    return new Credentials(services.clickhouse().user(), services.clickhouse().password());
  }

  /** The environment a worker or gateway reads them from (the operator fills it from a Secret). */
  public static Map<String, String> env(Credentials credentials) {
    return Map.of(
        Credentials.CLICKHOUSE_USER,
        credentials.user(),
        Credentials.CLICKHOUSE_PASSWORD,
        credentials.password());
  }

  /** {@link #env(Credentials)} for code that starts workers without a {@link DevServices}. */
  public static Map<String, String> env() {
    if (!ClickHouseDevService.externalConfigured()) {
      return Map.of(); // chDB accepts the worker's default user without a password
    }
    ClickHouseDevService ch = ClickHouseDevService.fromEnvironment(null);
    return env(new Credentials(ch.user(), ch.password()));
  }
}
