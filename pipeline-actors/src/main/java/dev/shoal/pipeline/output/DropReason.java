package dev.shoal.pipeline.output;

/** Why a pipeline lost items; the label value of the dropped-items counter. */
public enum DropReason {
  /** The pipeline's queue was full while another pipeline took the request. */
  QUEUE_FULL("queue_full"),
  /**
   * The backend answered with a status that retrying cannot change (HTTP 400, gRPC
   * INVALID_ARGUMENT, ...).
   */
  REJECTED("rejected"),
  /** The backend took the request but refused some items ({@code partial_success}). */
  PARTIAL_SUCCESS("partial_success"),
  /** Retries went on for the configured max elapsed time without success. */
  RETRIES_EXHAUSTED("retries_exhausted"),
  /** The pipeline stopped (shutdown, reload) before the output took the batch. */
  SHUTDOWN("shutdown"),
  /** The output failed in a way it did not classify (a bug or an I/O error). */
  EXPORT_FAILED("export_failed");

  private final String label;

  DropReason(String label) {
    this.label = label;
  }

  /** The Prometheus label value, e.g. {@code queue_full}. */
  public String label() {
    return label;
  }
}
