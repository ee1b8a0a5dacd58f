package dev.logpipe.sandbox.api;

/** The patch content types Kubernetes defines. */
enum PatchKind {
  JSON_PATCH,
  MERGE,
  STRATEGIC,
  APPLY;

  /** The kind for a Content-Type header, or null when it is none of them. */
  static PatchKind of(String contentType) {
    if (contentType.startsWith("application/json-patch+json")) {
      return JSON_PATCH;
    }
    if (contentType.startsWith("application/merge-patch+json")) {
      return MERGE;
    }
    if (contentType.startsWith("application/strategic-merge-patch+json")) {
      return STRATEGIC;
    }
    if (contentType.startsWith("application/apply-patch")) {
      return APPLY;
    }
    return null;
  }
}
