package dev.shoal.pipeline.receiver;

/** A request body, or what it inflates to, is larger than the receiver takes. */
final class RequestTooLargeException extends RuntimeException {
  private final boolean inflated;

  RequestTooLargeException(long limit, boolean inflated) {
    super(
        (inflated ? "decompressed request body" : "request body")
            + " exceeds the limit of "
            + limit
            + " bytes (shoal.pipeline.receiver.max-request-bytes)");
    this.inflated = inflated;
  }

  /** Whether the limit was hit while inflating a compressed body. */
  boolean inflated() {
    return inflated;
  }
}
