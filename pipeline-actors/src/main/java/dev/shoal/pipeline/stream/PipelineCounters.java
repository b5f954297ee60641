package dev.shoal.pipeline.stream;

import java.util.concurrent.atomic.LongAdder;

/**
 * A pipeline's own flow counters, in items (spans, data points, log records). Cheap to update from
 * many threads; read as a {@link Snapshot}.
 */
public final class PipelineCounters {
  final LongAdder accepted = new LongAdder();
  final LongAdder refused = new LongAdder();
  final LongAdder exported = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder exportedBatches = new LongAdder();

  public Snapshot snapshot() {
    return new Snapshot(
        accepted.sum(), refused.sum(), exported.sum(), failed.sum(), exportedBatches.sum());
  }

  /**
   * Counter values at one instant.
   *
   * @param accepted items put into the queue and acknowledged
   * @param refused items the queue had no room for (the client was told to retry)
   * @param exported items the output took
   * @param failed items the output could not take; they are lost, and logged
   * @param exportedBatches batches the output took
   */
  public record Snapshot(
      long accepted, long refused, long exported, long failed, long exportedBatches) {}
}
