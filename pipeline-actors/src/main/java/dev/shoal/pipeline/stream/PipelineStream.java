package dev.shoal.pipeline.stream;

import dev.shoal.pipeline.durable.DurableLog;
import dev.shoal.pipeline.durable.DurableQueueSettings;
import dev.shoal.pipeline.metrics.ShoalMetrics;
import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.output.DropReason;
import dev.shoal.pipeline.output.ExportFailedException;
import dev.shoal.pipeline.output.ExportResult;
import dev.shoal.pipeline.output.Exporter;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.AbruptStageTerminationException;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and starts the stream of one pipeline: queue → batch → export.
 *
 * <p>With the durable queue on ({@link DurableQueueSettings}), requests reach the queue through the
 * pipeline's {@link DurableLog}, and the batches that left the output, in order, tell the log which
 * records are done. Records an earlier run left on disk flow in beside new requests.
 *
 * <p>An export that fails is counted and logged, and the stream goes on: one bad batch never stops
 * a pipeline. Every stage is bounded: the queue in bytes (and in requests, as a second guard),
 * batches in items and bytes, exports in flight by the configured concurrency.
 */
public final class PipelineStream {
  private static final Logger log = LoggerFactory.getLogger(PipelineStream.class);

  /** Requests the queue holds at most, whatever their size: a guard against tiny requests. */
  static final int MAX_QUEUED_REQUESTS = 65_536;

  /** Longest wait for a durable log's last upkeep after its stream stopped. */
  private static final long CLOSE_TIMEOUT_MILLIS = 10_000;

  private PipelineStream() {}

  /**
   * Starts a pipeline. {@code counters} are the pipeline's counters; a pipeline that replaces one
   * of the same name continues the old one's, so that they never go backwards.
   */
  public static RunningPipeline start(
      PipelineSettings settings,
      Exporter exporter,
      PipelineCounters counters,
      ActorSystem<?> system) {
    DistributionDataPoint latency =
        ShoalMetrics.get(system).exportDuration(settings.name(), settings.signal().id());
    ByteBudget budget = new ByteBudget(settings.queueBytes());
    DurableLog durable = openDurableLog(settings, system);
    Sink<Batch, CompletionStage<Done>> finished =
        durable == null
            ? Sink.foreach(batch -> {})
            : Sink.foreach(batch -> durable.acknowledge(batch.requests().size()));
    Pair<BoundedSourceQueue<ExportRequest>, CompletionStage<Done>> materialized =
        Source.<ExportRequest>queue(MAX_QUEUED_REQUESTS)
            .via(new BatchStage(settings.name(), settings.signal(), settings.batch()))
            .mapAsync(
                settings.exportConcurrency(),
                batch ->
                    exportCounted(batch, exporter, counters, budget, latency).thenApply(d -> batch))
            .toMat(finished, Keep.both())
            .run(system);
    PipelineQueue queue =
        new PipelineQueue(
            settings.name(), settings.signal(), budget, materialized.first(), counters, durable);
    if (durable != null) durable.start(queue.handoff());
    CompletionStage<Done> stopped =
        materialized
            .second()
            .whenComplete(
                (ok, failure) -> {
                  exporter.close();
                  if (failure instanceof AbruptStageTerminationException) {
                    if (budget.used() > 0) {
                      log.warn(
                          "pipeline {}: stopped before it drained, {} bytes were still held",
                          settings.name(),
                          budget.used());
                    }
                  } else if (failure != null) {
                    log.error("pipeline {}: stream stopped by a failure", settings.name(), failure);
                  }
                });
    // The log's last upkeep (sync, acknowledged offsets, deleting what is done) blocks on the
    // disk: it runs off the dispatcher, and the pipeline counts as stopped once it is over.
    CompletionStage<Done> done =
        durable == null
            ? stopped
            : stopped
                .handle(
                    (ok, failure) ->
                        CompletableFuture.runAsync(() -> durable.close(CLOSE_TIMEOUT_MILLIS)))
                .thenCompose(closed -> closed)
                .thenCompose(closed -> stopped);
    return new RunningPipeline(settings, queue, done);
  }

  /** The pipeline's durable log, or null when it is off or its folder is unusable. */
  private static DurableLog openDurableLog(PipelineSettings settings, ActorSystem<?> system) {
    DurableQueueSettings durable = DurableQueueSettings.from(system.settings().config());
    if (!durable.enabled()) return null;
    try {
      return DurableLog.open(settings.name(), settings.signal(), durable);
    } catch (IOException | RuntimeException e) {
      log.error(
          "pipeline {}: cannot open its durable queue under {} ({}); it runs with its queue in"
              + " memory only. Make the folder writable, or set {}.dir",
          settings.name(),
          durable.dir(),
          e.toString(),
          DurableQueueSettings.CONFIG_PATH);
      return null;
    }
  }

  private static CompletionStage<Done> exportCounted(
      Batch batch,
      Exporter exporter,
      PipelineCounters counters,
      ByteBudget budget,
      DistributionDataPoint latency) {
    long started = System.nanoTime();
    CompletionStage<ExportResult> export;
    try {
      export = exporter.export(batch);
    } catch (RuntimeException e) {
      export = CompletableFuture.failedFuture(e);
    }
    return export.handle(
        (result, failure) -> {
          latency.observe((System.nanoTime() - started) / 1e9);
          budget.release(batch.bytes());
          if (failure == null) {
            long rejected = Math.min(result.rejectedItems(), batch.items());
            counters.exported.add(batch.items() - rejected);
            counters.exportedBatches.increment();
            if (rejected > 0) counters.dropped(DropReason.PARTIAL_SUCCESS, rejected);
          } else {
            Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
            DropReason reason =
                cause instanceof ExportFailedException e ? e.reason() : DropReason.EXPORT_FAILED;
            counters.dropped(reason, batch.items());
            // The output logs its losses itself, rate-limited and with its own details.
            log.debug(
                "pipeline {}: dropped a batch of {} {} ({}): {}",
                batch.pipeline(),
                batch.items(),
                batch.signal().itemName(),
                reason.label(),
                cause.getMessage());
          }
          return Done.getInstance();
        });
  }
}
