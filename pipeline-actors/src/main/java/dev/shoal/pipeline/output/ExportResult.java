package dev.shoal.pipeline.output;

/**
 * What became of a batch the output took.
 *
 * @param rejectedItems items the backend refused in an OTLP {@code partial_success} answer; they
 *     are not retried, and are counted as dropped
 * @param rejectionMessage the backend's explanation of the rejection, or empty
 */
public record ExportResult(long rejectedItems, String rejectionMessage) {
  public static final ExportResult DELIVERED = new ExportResult(0, "");
}
