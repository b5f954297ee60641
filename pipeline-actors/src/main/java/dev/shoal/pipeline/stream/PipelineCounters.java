package dev.shoal.pipeline.stream;

import dev.shoal.pipeline.output.DropReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A pipeline's own flow counters, in items (spans, data points, log records). Cheap to update from
 * many threads; read as a {@link Snapshot}.
 */
public final class PipelineCounters {
  final LongAdder received = new LongAdder();
  final LongAdder accepted = new LongAdder();
  final LongAdder refused = new LongAdder();
  final LongAdder exported = new LongAdder();
  final LongAdder exportedBatches = new LongAdder();
  private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);

  public PipelineCounters() {
    for (DropReason r : DropReason.values()) dropped.put(r, new LongAdder());
  }

  void dropped(DropReason reason, long items) {
    dropped.get(reason).add(items);
  }

  public Snapshot snapshot() {
    Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
    dropped.forEach((reason, n) -> drops.put(reason, n.sum()));
    return new Snapshot(
        received.sum(),
        accepted.sum(),
        refused.sum(),
        exported.sum(),
        exportedBatches.sum(),
        Map.copyOf(drops));
  }

  /**
   * Counter values at one instant.
   *
   * @param received items offered to the pipeline
   * @param accepted items put into the queue and acknowledged
   * @param refused items the queue had no room for while no other pipeline took them either (the
   *     client was told to retry)
   * @param exported items the output took
   * @param exportedBatches batches the output took
   * @param dropped items lost after they were acknowledged, or skipped while another pipeline took
   *     them, by reason
   */
  public record Snapshot(
      long received,
      long accepted,
      long refused,
      long exported,
      long exportedBatches,
      Map<DropReason, Long> dropped) {

    /** Items lost for any reason. */
    public long droppedTotal() {
      return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    public long dropped(DropReason reason) {
      return dropped.getOrDefault(reason, 0L);
    }

    /** Items lost because the output failed: rejected, retries exhausted, or an error. */
    public long failed() {
      return dropped(DropReason.REJECTED)
          + dropped(DropReason.RETRIES_EXHAUSTED)
          + dropped(DropReason.EXPORT_FAILED);
    }
  }
}
