package dev.shoal.pipeline.output.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.output.DropReason;
import dev.shoal.pipeline.output.ExportFailedException;
import dev.shoal.pipeline.output.ExportResult;
import dev.shoal.pipeline.output.Exporter;
import dev.shoal.pipeline.output.OtlpOutputSettings.Retry;
import dev.shoal.pipeline.stream.Batch;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The retry policy on its own, around an exporter whose attempts the test scripts. */
class RetryingExporterTest {
  static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** Answers attempts as scripted (then delivers), and notes when each attempt came. */
  static final class ScriptedAttempts implements Exporter {
    final Deque<Supplier<CompletionStage<ExportResult>>> script = new ArrayDeque<>();
    final List<Long> attemptsAt = new CopyOnWriteArrayList<>();

    ScriptedAttempts then(Supplier<CompletionStage<ExportResult>> outcome) {
      script.add(outcome);
      return this;
    }

    ScriptedAttempts thenFail(RuntimeException e) {
      return then(() -> CompletableFuture.failedFuture(e));
    }

    @Override
    public synchronized CompletionStage<ExportResult> export(Batch batch) {
      attemptsAt.add(System.nanoTime());
      Supplier<CompletionStage<ExportResult>> next = script.poll();
      return next == null ? CompletableFuture.completedFuture(ExportResult.DELIVERED) : next.get();
    }

    long millisBetweenAttempts(int earlier, int later) {
      return TimeUnit.NANOSECONDS.toMillis(attemptsAt.get(later) - attemptsAt.get(earlier));
    }
  }

  private static RetryingExporter retrying(Exporter attempts, Retry retry) {
    // random() = 0.5 takes the jitter out: each wait is exactly the backoff's base.
    return new RetryingExporter(
        attempts,
        retry,
        new Backoff(retry.initialInterval(), retry.maxInterval(), () -> 0.5),
        testKit.system().classicSystem().scheduler(),
        testKit.system().executionContext(),
        "test output");
  }

  private static Retry retry(long initialMs, long maxMs, long maxElapsedMs) {
    return new Retry(
        true,
        Duration.ofMillis(initialMs),
        Duration.ofMillis(maxMs),
        Duration.ofMillis(maxElapsedMs));
  }

  private static RetryableExportException unavailable() {
    return new RetryableExportException("unavailable", null);
  }

  private static RetryableExportException throttled(Duration delay) {
    return new RetryableExportException("throttled", Optional.of(delay), null);
  }

  private static ExportResult result(Exporter exporter) throws Exception {
    return exporter.export(TestOutputs.traces()).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Throwable failure(Exporter exporter) {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                exporter
                    .export(TestOutputs.traces())
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS));
    Throwable cause = e.getCause();
    while (cause instanceof CompletionException) cause = cause.getCause();
    return cause;
  }

  @Test
  void retriesWithGrowingWaitsUntilDelivered() throws Exception {
    ScriptedAttempts attempts = new ScriptedAttempts();
    for (int i = 0; i < 4; i++) attempts.thenFail(unavailable());

    // Waits 100, 150, then 200 and 200 (capped; BackoffTest checks the exact values). Only lower
    // bounds here: a busy machine may wake the scheduler late, never early.
    assertEquals(ExportResult.DELIVERED, result(retrying(attempts, retry(100, 200, 10_000))));

    assertEquals(5, attempts.attemptsAt.size());
    long[] waits = new long[4];
    for (int i = 0; i < 4; i++) waits[i] = attempts.millisBetweenAttempts(i, i + 1);
    String all = java.util.Arrays.toString(waits) + " ms";
    assertTrue(waits[0] >= 100, all);
    assertTrue(waits[1] >= 150, all);
    assertTrue(waits[2] >= 200, all);
    assertTrue(waits[3] >= 200, all);
  }

  @Test
  void aDelayTheServerAsksForReplacesTheBackoff() throws Exception {
    ScriptedAttempts attempts = new ScriptedAttempts().thenFail(throttled(Duration.ofMillis(400)));

    assertEquals(ExportResult.DELIVERED, result(retrying(attempts, retry(10, 20, 10_000))));

    long waited = attempts.millisBetweenAttempts(0, 1);
    assertTrue(waited >= 400 && waited < 800, "waited " + waited + " ms");
  }

  @Test
  void aServerDelayBeyondMaxElapsedIsCutSoTheLastAttemptComesAtMaxElapsed() {
    ScriptedAttempts attempts =
        new ScriptedAttempts()
            .thenFail(throttled(Duration.ofSeconds(30)))
            .thenFail(throttled(Duration.ofSeconds(30)));
    long start = System.nanoTime();

    Throwable failure = failure(retrying(attempts, retry(10, 20, 500)));

    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    ExportFailedException dropped = assertInstanceOf(ExportFailedException.class, failure);
    assertEquals(DropReason.RETRIES_EXHAUSTED, dropped.reason());
    assertEquals(2, attempts.attemptsAt.size());
    long waited = attempts.millisBetweenAttempts(0, 1);
    assertTrue(waited >= 450 && waited < 900, "waited " + waited + " ms");
    assertTrue(took < 2000, "gave up after " + took + " ms");
  }

  @Test
  void aFailureThatIsNotRetryableEndsTheExportAtOnce() {
    ExportFailedException rejected = new ExportFailedException(DropReason.REJECTED, "HTTP 400");
    ScriptedAttempts attempts = new ScriptedAttempts().thenFail(rejected);

    assertSame(rejected, failure(retrying(attempts, retry(10, 20, 10_000))));
    assertEquals(1, attempts.attemptsAt.size());
  }

  @Test
  void anUnexpectedFailureIsPassedOnUnretried() {
    IllegalStateException bug = new IllegalStateException("bug");
    ScriptedAttempts attempts = new ScriptedAttempts().thenFail(bug);

    assertSame(bug, failure(retrying(attempts, retry(10, 20, 10_000))));
    assertEquals(1, attempts.attemptsAt.size());
  }

  @Test
  void anAttemptThatThrowsInsteadOfFailingIsTreatedAlike() throws Exception {
    ScriptedAttempts attempts =
        new ScriptedAttempts()
            .then(
                () -> {
                  throw unavailable();
                });

    assertEquals(ExportResult.DELIVERED, result(retrying(attempts, retry(10, 20, 10_000))));
    assertEquals(2, attempts.attemptsAt.size());
  }

  @Test
  void withRetriesDisabledTheFirstRetryableFailureDropsTheBatch() {
    ScriptedAttempts attempts = new ScriptedAttempts().thenFail(unavailable());
    Retry off =
        new Retry(false, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(10));

    Throwable failure = failure(retrying(attempts, off));

    assertEquals(
        DropReason.RETRIES_EXHAUSTED,
        assertInstanceOf(ExportFailedException.class, failure).reason());
    assertEquals(1, attempts.attemptsAt.size());
  }

  @Test
  void retryableFailuresUntilMaxElapsedDropTheBatch() {
    ScriptedAttempts attempts = new ScriptedAttempts();
    for (int i = 0; i < 1000; i++) attempts.thenFail(unavailable());
    long start = System.nanoTime();

    Throwable failure = failure(retrying(attempts, retry(20, 50, 400)));

    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    ExportFailedException dropped = assertInstanceOf(ExportFailedException.class, failure);
    assertEquals(DropReason.RETRIES_EXHAUSTED, dropped.reason());
    assertTrue(dropped.getMessage().contains("unavailable"), dropped.getMessage());
    assertTrue(took >= 400 && took < 1500, "gave up after " + took + " ms");
  }

  @Test
  void aPartialSuccessIsPassedOnAsItIs() throws Exception {
    ExportResult partial = new ExportResult(2, "too old");
    ScriptedAttempts attempts =
        new ScriptedAttempts().then(() -> CompletableFuture.completedFuture(partial));

    assertEquals(partial, result(retrying(attempts, retry(10, 20, 10_000))));
    assertEquals(1, attempts.attemptsAt.size());
  }
}
