package dev.logpipe.operator.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identity of the pipeline that owns a ClickHouse table, written into the table's COMMENT when
 * the operator creates or adopts it and read back before anything else touches the table. Ownership
 * is by namespace/name: a pipeline deleted under {@code deletionPolicy: Retain} and created again
 * under the same name is the same tenant's pipeline and takes its table back (the comment is then
 * updated to the new UID); any other namespace/name is someone else.
 *
 * @param uid the LogPipeline's metadata.uid
 * @param backend the ClusterLogBackend it was created through
 */
public record StorageOwner(String uid, String namespace, String name, String backend) {
  private static final String MARK = "logpipe owner";
  private static final Pattern UID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Pattern BACKEND = Pattern.compile("[a-z0-9.-]{1,253}");
  private static final Pattern PARSE =
      Pattern.compile(
          MARK + " pipeline=([a-z0-9-]+)/([a-z0-9-]+) uid=([A-Za-z0-9-]+) backend=([a-z0-9.-]+)");

  /** Only characters that can stand in a SQL literal unescaped, as LogTableSchema requires. */
  public StorageOwner {
    if (uid == null || !UID.matcher(uid).matches()) {
      uid = "unknown";
    }
    if (backend == null || !BACKEND.matcher(backend).matches()) {
      throw new IllegalArgumentException("backend name '" + backend + "' is not a DNS name");
    }
  }

  /** The table COMMENT: {@code logpipe owner pipeline=<ns>/<name> uid=<uid> backend=<backend>}. */
  public String comment() {
    return MARK + " pipeline=" + qualifiedName() + " uid=" + uid + " backend=" + backend;
  }

  /** The COMMENT of the pipeline's database: which namespace (and backend) it was created for. */
  public String databaseComment() {
    return "logpipe database namespace=" + namespace + " backend=" + backend;
  }

  public String qualifiedName() {
    return namespace + "/" + name;
  }

  /** Whether {@code other} is this same pipeline (namespace and name; the UID may differ). */
  public boolean samePipeline(StorageOwner other) {
    return other != null && namespace.equals(other.namespace) && name.equals(other.name);
  }

  /**
   * The owner a table's comment names; empty when the comment is empty (a table created before
   * owners were recorded) or is not one of ours.
   */
  public static Optional<StorageOwner> parse(String comment) {
    if (comment == null) {
      return Optional.empty();
    }
    Matcher m = PARSE.matcher(comment.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new StorageOwner(m.group(3), m.group(1), m.group(2), m.group(4)));
  }
}
