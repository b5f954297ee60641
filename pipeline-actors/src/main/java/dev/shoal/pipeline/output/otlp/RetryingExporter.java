package dev.shoal.pipeline.output.otlp;

import dev.shoal.pipeline.output.DropReason;
import dev.shoal.pipeline.output.ExportFailedException;
import dev.shoal.pipeline.output.ExportResult;
import dev.shoal.pipeline.output.Exporter;
import dev.shoal.pipeline.output.OtlpOutputSettings.Retry;
import dev.shoal.pipeline.stream.Batch;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContext;

/**
 * Delivers a batch through an exporter that makes one attempt, retrying as the OTLP specification
 * says.
 *
 * <ul>
 *   <li>Only a {@link RetryableExportException} is retried. Anything else ends the export at once:
 *       an {@link ExportFailedException} (e.g. {@code REJECTED}) keeps its reason, any other
 *       failure is counted by the pipeline as {@code EXPORT_FAILED}.
 *   <li>The wait before a retry is the {@link Backoff}'s, unless the backend named one
 *       (Retry-After, RetryInfo): then the backend's. Either is cut to what is left of {@code
 *       maxElapsed}, so the last attempt starts at the latest when {@code maxElapsed} has passed
 *       since the first one.
 *   <li>A retryable failure once {@code maxElapsed} has passed drops the batch with {@code
 *       RETRIES_EXHAUSTED}; with retries disabled the first retryable failure does.
 * </ul>
 *
 * Waits are timers of the actor system's scheduler; no thread waits. The exporter keeps no state
 * per batch besides the chain of futures, so it serves any number of concurrent exports.
 */
public final class RetryingExporter implements Exporter {
  private static final Logger log = LoggerFactory.getLogger(RetryingExporter.class);

  private final Exporter attempt;
  private final Retry retry;
  private final Backoff backoff;
  private final Scheduler scheduler;
  private final ExecutionContext executor;
  private final DropLog drops;

  /**
   * Retries the exports of {@code attempt} as {@code retry} says, waiting on {@code system}'s
   * scheduler.
   *
   * @param attempt makes one attempt per call and fails with {@link RetryableExportException} when
   *     a later attempt may succeed
   * @param output names the output in logs
   */
  public static RetryingExporter create(
      Exporter attempt, Retry retry, ActorSystem<?> system, String output) {
    return new RetryingExporter(
        attempt,
        retry,
        new Backoff(retry.initialInterval(), retry.maxInterval()),
        system.classicSystem().scheduler(),
        system.executionContext(),
        output);
  }

  RetryingExporter(
      Exporter attempt,
      Retry retry,
      Backoff backoff,
      Scheduler scheduler,
      ExecutionContext executor,
      String output) {
    this.attempt = attempt;
    this.retry = retry;
    this.backoff = backoff;
    this.scheduler = scheduler;
    this.executor = executor;
    this.drops = new DropLog(log, output);
  }

  @Override
  public CompletionStage<ExportResult> export(Batch batch) {
    return attemptFrom(batch, System.nanoTime(), 0);
  }

  private CompletionStage<ExportResult> attemptFrom(Batch batch, long firstAttemptAt, int retries) {
    CompletionStage<ExportResult> tried;
    try {
      tried = attempt.export(batch);
    } catch (RuntimeException e) {
      tried = CompletableFuture.failedFuture(e);
    }
    return tried
        .handle(
            (result, failure) ->
                failure == null
                    ? delivered(batch, result)
                    : failed(batch, firstAttemptAt, retries, unwrap(failure)))
        .thenCompose(Function.identity());
  }

  private CompletionStage<ExportResult> delivered(Batch batch, ExportResult result) {
    if (result.rejectedItems() > 0) {
      drops.dropped(
          batch,
          Math.min(result.rejectedItems(), batch.items()),
          DropReason.PARTIAL_SUCCESS.label(),
          result.rejectionMessage());
    }
    return CompletableFuture.completedFuture(result);
  }

  private CompletionStage<ExportResult> failed(
      Batch batch, long firstAttemptAt, int retries, Throwable failure) {
    if (!(failure instanceof RetryableExportException retryable)) {
      String reason =
          failure instanceof ExportFailedException e
              ? e.reason().label()
              : DropReason.EXPORT_FAILED.label();
      drops.dropped(batch, batch.items(), reason, String.valueOf(failure.getMessage()));
      return CompletableFuture.failedFuture(failure);
    }
    if (!retry.enabled()) {
      return exhausted(batch, "retry is disabled; " + failure.getMessage(), failure);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - firstAttemptAt);
    Duration left = retry.maxElapsed().minus(elapsed);
    if (left.isNegative() || left.isZero()) {
      return exhausted(
          batch,
          String.format(
              "gave up after %d attempts in %d ms (max elapsed %d ms); last: %s",
              retries + 1, elapsed.toMillis(), retry.maxElapsed().toMillis(), failure.getMessage()),
          failure);
    }
    Duration wait = retryable.serverDelay().orElseGet(() -> backoff.delay(retries));
    if (wait.compareTo(left) > 0) wait = left;
    log.debug(
        "pipeline {}: attempt {} failed ({}), retrying in {} ms",
        batch.pipeline(),
        retries + 1,
        failure.getMessage(),
        wait.toMillis());
    try {
      return Patterns.after(
          wait, scheduler, executor, () -> attemptFrom(batch, firstAttemptAt, retries + 1));
    } catch (IllegalStateException schedulerStopped) {
      ExportFailedException shutdown =
          new ExportFailedException(
              DropReason.SHUTDOWN,
              "the actor system stopped while the batch waited for a retry",
              failure);
      drops.dropped(batch, batch.items(), DropReason.SHUTDOWN.label(), shutdown.getMessage());
      return CompletableFuture.failedFuture(shutdown);
    }
  }

  private CompletionStage<ExportResult> exhausted(Batch batch, String message, Throwable cause) {
    drops.dropped(batch, batch.items(), DropReason.RETRIES_EXHAUSTED.label(), message);
    return CompletableFuture.failedFuture(
        new ExportFailedException(DropReason.RETRIES_EXHAUSTED, message, cause));
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) c = c.getCause();
    return c;
  }

  @Override
  public void close() {
    attempt.close();
  }
}
