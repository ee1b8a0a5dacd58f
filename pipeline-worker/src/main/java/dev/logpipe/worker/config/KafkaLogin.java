package dev.logpipe.worker.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pipeline's own Kafka user (a Strimzi KafkaUser, SCRAM-SHA-512), read from the environment the
 * way {@link Credentials} are ({@code LOGPIPE_KAFKA_USER}, {@code LOGPIPE_KAFKA_PASSWORD} or their
 * {@code _FILE} variants, filled from a Secret), and turned into the {@code sasl.jaas.config} of
 * every Kafka client the worker and gateway make. The config file (a ConfigMap) carries only the
 * non-secret part ({@code security.protocol}, {@code sasl.mechanism}); validation refuses a JAAS
 * line there, so a password never sits in a ConfigMap.
 */
public final class KafkaLogin {
  public static final String KAFKA_USER = "LOGPIPE_KAFKA_USER";
  public static final String KAFKA_PASSWORD = "LOGPIPE_KAFKA_PASSWORD";
  public static final String JAAS_CONFIG = "sasl.jaas.config";

  private KafkaLogin() {}

  /**
   * {@code config} with the login added to {@code kafka.clientProperties} when the environment
   * names a Kafka user; unchanged otherwise (plaintext, or credentials some other way).
   *
   * @throws ConfigException when only one of user and password is given, or either holds a
   *     character the JAAS line cannot carry unescaped ({@code "} or {@code \})
   */
  public static PipelineConfig apply(PipelineConfig config, Map<String, String> env) {
    Optional<String> user = Credentials.read(env, KAFKA_USER);
    Optional<String> password = Credentials.read(env, KAFKA_PASSWORD);
    if (user.isEmpty() && password.isEmpty()) {
      return config;
    }
    if (user.isEmpty() || password.isEmpty()) {
      throw new ConfigException(
          List.of(
              KAFKA_USER
                  + " and "
                  + KAFKA_PASSWORD
                  + " go together: "
                  + (user.isEmpty() ? KAFKA_USER : KAFKA_PASSWORD)
                  + " is missing"));
    }
    if (unquotable(user.get()) || unquotable(password.get())) {
      throw new ConfigException(
          List.of(
              KAFKA_USER
                  + "/"
                  + KAFKA_PASSWORD
                  + ": must not contain '\"', '\\' or a control character (line break, tab)"));
    }
    PipelineConfig.Kafka kafka = config.kafka();
    Map<String, String> props =
        new TreeMap<>(kafka.clientProperties() == null ? Map.of() : kafka.clientProperties());
    props.put(JAAS_CONFIG, jaasConfig(props.get("sasl.mechanism"), user.get(), password.get()));
    return new PipelineConfig(
        config.pipeline(),
        new PipelineConfig.Kafka(
            kafka.bootstrapServers(),
            kafka.topic(),
            kafka.groupId(),
            kafka.deadLetterTopic(),
            props),
        config.clickhouse(),
        config.redis(),
        config.format(),
        config.anomalies(),
        config.batch(),
        config.gateway());
  }

  /**
   * How the Kafka clients of {@code config} connect, for the start-up log line: the security
   * protocol, and with a login its mechanism and user, e.g. {@code
   * SASL_PLAINTEXT/SCRAM-SHA-512/logpipe.team-a.app.worker}; never the password.
   */
  public static String describe(PipelineConfig config) {
    Map<String, String> props =
        config.kafka().clientProperties() == null ? Map.of() : config.kafka().clientProperties();
    String protocol = props.getOrDefault("security.protocol", "PLAINTEXT");
    Matcher user = USERNAME.matcher(props.getOrDefault(JAAS_CONFIG, ""));
    if (!user.find()) {
      return protocol;
    }
    return protocol + "/" + props.getOrDefault("sasl.mechanism", "GSSAPI") + "/" + user.group(1);
  }

  private static final Pattern USERNAME = Pattern.compile("username=\"([^\"]*)\"");

  private static String jaasConfig(String mechanism, String user, String password) {
    // SCRAM is what Strimzi's KafkaUsers use; PLAIN would be a listener configured by hand.
    String module =
        "PLAIN".equals(mechanism)
            ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return module + " required username=\"" + user + "\" password=\"" + password + "\";";
  }

  /**
   * What the JAAS line cannot carry as written: a quote or backslash ends or escapes the quoted
   * value, and Kafka's JAAS parser reads a line break (any control character, to be safe) as the
   * end of the value, taking the rest for another option.
   */
  private static boolean unquotable(String value) {
    return value.chars().anyMatch(c -> c == '"' || c == '\\' || Character.isISOControl(c));
  }
}
