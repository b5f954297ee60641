package dev.shoal.pipeline.stream;

/**
 * The counters the stream tests compare: accepted, refused, exported, failed (items lost to the
 * output) and exported batches.
 */
public record Counts(long accepted, long refused, long exported, long failed, long batches) {
  public static Counts of(PipelineCounters.Snapshot s) {
    return new Counts(s.accepted(), s.refused(), s.exported(), s.failed(), s.exportedBatches());
  }
}
