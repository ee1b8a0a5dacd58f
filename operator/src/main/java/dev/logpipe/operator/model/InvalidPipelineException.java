package dev.logpipe.operator.model;

/**
 * A problem the user can fix in a LogPipeline or ClusterLogBackend (bad name, missing Secret key,
 * invalid spec). The message is a sentence meant for the resource's status, never a stack trace.
 */
public class InvalidPipelineException extends RuntimeException {
  public InvalidPipelineException(String message) {
    super(message);
  }
}
