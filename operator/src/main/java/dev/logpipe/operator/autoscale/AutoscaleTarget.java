package dev.logpipe.operator.autoscale;

/**
 * What the autoscaler needs to know about one autoscaled pipeline, handed over by each
 * reconciliation.
 *
 * @param deploymentReplicas the worker Deployment's spec.replicas now, or null when it does not
 *     exist yet; the autoscaler starts from it, so an operator restart does not resize workers
 * @param clickHouseUrl the backend's ClickHouse, pinged before a scale-up (null: not pinged)
 */
public record AutoscaleTarget(
    String namespace,
    String name,
    String bootstrapServers,
    String topic,
    String group,
    String deployment,
    ScalePolicy policy,
    Integer deploymentReplicas,
    String clickHouseUrl) {

  KafkaLagReader.Target lagTarget() {
    return new KafkaLagReader.Target(group, topic);
  }
}
