package dev.shoal.pipeline.metrics;

import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.output.DropReason;
import dev.shoal.pipeline.route.SignalRouter;
import dev.shoal.pipeline.stream.PipelineCounters;
import dev.shoal.pipeline.stream.RunningPipeline;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The node's own metrics, in Prometheus form: one registry per actor system.
 *
 * <p>Pipeline counters live in the pipelines ({@link PipelineCounters}, cheap adders) and are read
 * only when {@code /metrics} is scraped, so the hot path pays nothing for them. Receiver requests
 * and export latencies are recorded as they happen, once per request or per batch, never per item.
 */
public final class ShoalMetrics implements Extension {
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private static final ExtensionId<ShoalMetrics> ID =
      new ExtensionId<>() {
        @Override
        public ShoalMetrics createExtension(ActorSystem<?> system) {
          return new ShoalMetrics();
        }
      };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private volatile Supplier<? extends Collection<RunningPipeline>> pipelines = List::of;
  private volatile SignalRouter router;
  private final Counter receiverRequests;
  private final Histogram exportDuration;
  private final Gauge configurationVersion;
  private final Gauge configurationApplyDelay;
  private final java.util.concurrent.atomic.AtomicInteger scrapeTargets =
      new java.util.concurrent.atomic.AtomicInteger();
  private final Counter scrapes;

  public static ShoalMetrics get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private ShoalMetrics() {
    receiverRequests =
        Counter.builder()
            .name("shoal_receiver_requests_total")
            .help("OTLP requests answered by the receivers, by protocol, signal and status")
            .labelNames("protocol", "signal", "status")
            .register(registry);
    exportDuration =
        Histogram.builder()
            .name("shoal_pipeline_export_duration_seconds")
            .help("Time from handing a batch to the output until it was delivered or dropped")
            .labelNames("pipeline", "signal")
            .classicUpperBounds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .register(registry);
    configurationVersion =
        Gauge.builder()
            .name("shoal_pipeline_configuration_version")
            .help("Version of the published pipeline configuration this member runs (0: none yet)")
            .register(registry);
    configurationApplyDelay =
        Gauge.builder()
            .name("shoal_pipeline_configuration_apply_delay_seconds")
            .help(
                "From the manager's publication of the running configuration version until this"
                    + " member ran it")
            .register(registry);
    GaugeWithCallback.builder()
        .name("shoal_scrape_targets")
        .help("Prometheus scrape targets this member owns (ScrapeTarget entities running here)")
        .callback(cb -> cb.call(scrapeTargets.get()))
        .register(registry);
    scrapes =
        Counter.builder()
            .name("shoal_scrapes_total")
            .help("Scrapes of Prometheus targets this member made, by outcome (up, failed)")
            .labelNames("outcome")
            .register(registry);
    itemCounter("received", "Items offered to the pipeline", PipelineCounters.Snapshot::received);
    itemCounter(
        "accepted", "Items put into the pipeline's queue", PipelineCounters.Snapshot::accepted);
    itemCounter(
        "refused",
        "Items refused with a retryable answer because the queue was full",
        PipelineCounters.Snapshot::refused);
    itemCounter("exported", "Items the output took", PipelineCounters.Snapshot::exported);
    itemCounter(
        "failed",
        "Items lost because the output failed (rejected, retries exhausted, errors)",
        PipelineCounters.Snapshot::failed);
    CounterWithCallback.builder()
        .name("shoal_pipeline_items_dropped_total")
        .help("Items lost or skipped, by reason")
        .labelNames("pipeline", "signal", "reason")
        .callback(
            cb ->
                eachPipeline(
                    (p, s) -> {
                      for (DropReason r : DropReason.values()) {
                        cb.call(s.dropped(r), p.name(), p.settings().signal().id(), r.label());
                      }
                    }))
        .register(registry);
    CounterWithCallback.builder()
        .name("shoal_receiver_items_unrouted_total")
        .help("Items accepted that no pipeline takes (none of their signal, or of their namespace)")
        .labelNames("signal")
        .callback(
            cb -> {
              SignalRouter r = router;
              if (r == null) return;
              for (Signal s : Signal.values()) cb.call(r.unroutedItems(s), s.id());
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("shoal_pipeline_batches_exported_total")
        .help("Batches the output took")
        .labelNames("pipeline", "signal")
        .callback(
            cb ->
                eachPipeline(
                    (p, s) -> cb.call(s.exportedBatches(), p.name(), p.settings().signal().id())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("shoal_pipeline_queue_bytes_used")
        .help("Bytes the pipeline holds: queued, batching and being exported")
        .labelNames("pipeline", "signal")
        .callback(
            cb ->
                pipelines
                    .get()
                    .forEach(
                        p -> cb.call(p.queue().usedBytes(), p.name(), p.settings().signal().id())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("shoal_pipeline_queue_bytes_capacity")
        .help("Bytes the pipeline may hold")
        .labelNames("pipeline", "signal")
        .callback(
            cb ->
                pipelines
                    .get()
                    .forEach(
                        p ->
                            cb.call(
                                p.queue().capacityBytes(), p.name(), p.settings().signal().id())))
        .register(registry);
    DurableQueueMetrics.register(registry, () -> pipelines.get());
  }

  private void itemCounter(
      String what,
      String help,
      java.util.function.ToLongFunction<PipelineCounters.Snapshot> value) {
    CounterWithCallback.builder()
        .name("shoal_pipeline_items_" + what + "_total")
        .help(help + " (spans, data points or log records)")
        .labelNames("pipeline", "signal")
        .callback(
            cb ->
                eachPipeline(
                    (p, s) -> cb.call(value.applyAsLong(s), p.name(), p.settings().signal().id())))
        .register(registry);
  }

  private void eachPipeline(BiConsumer<RunningPipeline, PipelineCounters.Snapshot> action) {
    for (RunningPipeline p : pipelines.get()) action.accept(p, p.queue().counters().snapshot());
  }

  /** Where the pipeline metrics come from: the pipelines the router routes to now. */
  public void watch(SignalRouter router) {
    this.pipelines = router::pipelines;
    this.router = router;
  }

  /** This member runs configuration {@code version}, {@code delaySeconds} after its publication. */
  public void configurationApplied(long version, double delaySeconds) {
    configurationVersion.set(version);
    configurationApplyDelay.set(delaySeconds);
  }

  /** Counts one answered receiver request. */
  public void requestAnswered(String protocol, String signal, String status) {
    receiverRequests.labelValues(protocol, signal, status).inc();
  }

  /** The histogram point an exporter records its latencies in. */
  public DistributionDataPoint exportDuration(String pipeline, String signal) {
    return exportDuration.labelValues(pipeline, signal);
  }

  /** A scrape target's entity started on this member. */
  public void scrapeTargetStarted() {
    scrapeTargets.incrementAndGet();
  }

  /** A scrape target's entity stopped on this member (removed, moved, or the member leaves). */
  public void scrapeTargetStopped() {
    scrapeTargets.decrementAndGet();
  }

  /** Counts one finished scrape. */
  public void scraped(boolean up) {
    scrapes.labelValues(up ? "up" : "failed").inc();
  }

  /** Drops the series of a pipeline that no longer exists. */
  public void forget(String pipeline, String signal) {
    exportDuration.remove(pipeline, signal);
  }

  /** Everything, in the Prometheus text format 0.0.4. */
  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.ALLOW_UTF8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public PrometheusRegistry registry() {
    return registry;
  }
}
