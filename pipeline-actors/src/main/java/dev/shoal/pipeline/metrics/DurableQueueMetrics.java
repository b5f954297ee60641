package dev.shoal.pipeline.metrics;

import dev.shoal.pipeline.durable.DurableLog;
import dev.shoal.pipeline.stream.RunningPipeline;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collection;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The durable queues' series ({@code shoal_durable_queue_*}), read from each pipeline's {@link
 * DurableLog} when scraped; pipelines without one have none.
 */
final class DurableQueueMetrics {
  private final Supplier<? extends Collection<RunningPipeline>> pipelines;

  private DurableQueueMetrics(Supplier<? extends Collection<RunningPipeline>> pipelines) {
    this.pipelines = pipelines;
  }

  static void register(
      PrometheusRegistry registry, Supplier<? extends Collection<RunningPipeline>> pipelines) {
    DurableQueueMetrics m = new DurableQueueMetrics(pipelines);
    GaugeWithCallback.builder()
        .name("shoal_durable_queue_bytes")
        .help(
            "Bytes of the pipeline's segment files on disk, and reserved for records being written")
        .labelNames("pipeline", "signal")
        .callback(cb -> m.each(DurableLog.Stats::bytes, (v, p) -> cb.call(v, p.name(), id(p))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("shoal_durable_queue_bytes_capacity")
        .help("Bytes the pipeline's segment files may take (max-bytes)")
        .labelNames("pipeline", "signal")
        .callback(cb -> m.each(DurableLog.Stats::maxBytes, (v, p) -> cb.call(v, p.name(), id(p))))
        .register(registry);
    m.counter(
        registry,
        "write_failures",
        "Requests whose record could not be written (a full disk); refused or dropped",
        DurableLog.Stats::writeFailures);
    m.counter(
        registry,
        "refusals",
        "Requests refused because the log was at max-bytes or writes were failing",
        DurableLog.Stats::refusals);
    m.counter(
        registry,
        "quarantined_files",
        "Corrupt files moved or copied to quarantine/ when the pipeline started",
        DurableLog.Stats::quarantined);
    m.counter(
        registry,
        "torn_tails",
        "Segments whose torn last record was cut when the pipeline started",
        DurableLog.Stats::tornTails);
    m.counter(
        registry,
        "replayed_items",
        "Items found on disk at start and exported again",
        DurableLog.Stats::replayedItems);
  }

  private void counter(
      PrometheusRegistry registry,
      String name,
      String help,
      ToLongFunction<DurableLog.Stats> value) {
    CounterWithCallback.builder()
        .name("shoal_durable_queue_" + name + "_total")
        .help(help)
        .labelNames("pipeline", "signal")
        .callback(cb -> each(value, (v, p) -> cb.call(v, p.name(), id(p))))
        .register(registry);
  }

  private interface Sample {
    void call(long value, RunningPipeline pipeline);
  }

  private void each(ToLongFunction<DurableLog.Stats> value, Sample sample) {
    for (RunningPipeline p : pipelines.get()) {
      DurableLog log = p.queue().durableLog();
      if (log != null) sample.call(value.applyAsLong(log.stats()), p);
    }
  }

  private static String id(RunningPipeline p) {
    return p.settings().signal().id();
  }
}
