package dev.logpipe.operator.api.v1alpha1;

/** What deleting a LogPipeline does to its data. */
public enum DeletionPolicy {
  /** Keep the topic and the table (the default: deleting a resource must not lose logs). */
  Retain,
  /** Drop the topic, the table and the pipeline's Redis keys. */
  Delete
}
