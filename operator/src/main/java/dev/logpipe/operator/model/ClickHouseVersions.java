package dev.logpipe.operator.model;

import dev.logpipe.worker.config.LogTableSchema;

/** Compares a ClickHouse server version ("24.3.1.2672") with the schema's minimum. */
public final class ClickHouseVersions {
  private ClickHouseVersions() {}

  /** False for versions older than {@link LogTableSchema#MINIMUM_SERVER_VERSION} or unparsable. */
  public static boolean isSupported(String version) {
    int[] have = parse(version);
    int[] need = parse(LogTableSchema.MINIMUM_SERVER_VERSION);
    if (have == null) {
      return false;
    }
    return have[0] != need[0] ? have[0] > need[0] : have[1] >= need[1];
  }

  private static int[] parse(String version) {
    if (version == null) {
      return null;
    }
    String[] parts = version.trim().split("\\.");
    try {
      return new int[] {
        Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0
      };
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
