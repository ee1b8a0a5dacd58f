package dev.logpipe.worker.cache;

import io.lettuce.core.protocol.CommandType;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every Redis command the worker's live views and the gateway's query cache send once connected.
 * The operator grants a pipeline's Redis ACL user exactly these (nothing else, only under the
 * pipeline's key prefix), so a command added to {@link RedisLiveView} or the query cache must be
 * added here too: the operator's RedisPipelineUserIT runs both with such a user and fails on NOPERM
 * otherwise. HELLO/AUTH are not listed: Redis lets any connection authenticate.
 */
public final class RedisCommandsUsed {
  /** {@link RedisLiveView}: recent lists, per-minute count hashes, the anomalies stream. */
  public static final List<CommandType> LIVE_VIEW =
      List.of(
          CommandType.LPUSH,
          CommandType.LTRIM,
          CommandType.EXPIRE,
          CommandType.HSET,
          CommandType.HINCRBY,
          CommandType.XADD);

  /** The gateway's read-through query cache. */
  public static final List<CommandType> QUERY_CACHE = List.of(CommandType.GET, CommandType.SET);

  /**
   * The keys both write, under the pipeline's prefix: the operator's ACL user may touch only these,
   * so the operator's own {@code <prefix>owner} key stays out of the pipeline's reach (a tenant
   * holding its password could otherwise forge it and keep its keys alive after deletion).
   */
  public static final List<String> KEY_PATTERNS =
      List.of("recent:*", "counts:*", "anomalies", "services", "query:*");

  private RedisCommandsUsed() {}

  /** Both lists, without duplicates, in a fixed order. */
  public static List<CommandType> all() {
    return Stream.concat(LIVE_VIEW.stream(), QUERY_CACHE.stream()).distinct().toList();
  }
}
