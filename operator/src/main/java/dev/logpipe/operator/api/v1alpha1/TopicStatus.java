package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Names of the pipeline's Kafka topics. */
// A newer operator's status fields must not stop an older one from reading the resource.
@JsonIgnoreProperties(ignoreUnknown = true)
public class TopicStatus {
  @JsonPropertyDescription("The topic logs are read from, logpipe.<namespace>.<name>.")
  private String name;

  @JsonPropertyDescription("The dead-letter topic, <topic>.dlq; absent when dead-lettering is off.")
  private String deadLetter;

  public TopicStatus() {}

  public TopicStatus(String name, String deadLetter) {
    this.name = name;
    this.deadLetter = deadLetter;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getDeadLetter() {
    return deadLetter;
  }

  public void setDeadLetter(String deadLetter) {
    this.deadLetter = deadLetter;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TopicStatus s
        && Objects.equals(name, s.name)
        && Objects.equals(deadLetter, s.deadLetter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, deadLetter);
  }
}
