package dev.shoal.pipeline.stream;

import static dev.shoal.pipeline.otlp.TestRequests.traces;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.stream.BatchStage.BatchSettings;
import dev.shoal.pipeline.stream.RecordingExporter.PendingExport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Byte-bounded admission of a pipeline, seen through a running stream whose exports the test
 * completes by hand: bytes stay reserved until the export of their batch has completed.
 */
class PipelineQueueTest {
  private static final ActorTestKit testKit = ActorTestKit.create("PipelineQueueTest");

  /** Every request of 2 spans is a batch of its own. */
  private static final BatchSettings ONE_REQUEST_PER_BATCH =
      new BatchSettings(1, Long.MAX_VALUE, Duration.ofMinutes(5));

  private static final Duration WAIT = Duration.ofSeconds(5);

  private final TestPipelines pipelines = new TestPipelines(testKit.system());

  @AfterEach
  void drainPipelines() throws Exception {
    pipelines.drainAll();
  }

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  @Test
  void refusesOnceQueuedAndExportingBytesWouldPassCapacityAndAcceptsAgainAfterExport()
      throws Exception {
    ExportRequest r1 = traces("r1", 2);
    ExportRequest r2 = traces("r2", 2);
    ExportRequest r3 = traces("r3", 2);
    ExportRequest r4 = traces("r4", 2);
    long size = r1.bytes();
    assertTrue(List.of(r2, r3, r4).stream().allMatch(r -> r.bytes() == size));
    RecordingExporter exporter = RecordingExporter.completingByHand();
    PipelineQueue queue = start("full", 3 * size, ONE_REQUEST_PER_BATCH, exporter).queue();

    assertEquals(Admission.ACCEPTED, queue.offer(r1));
    PendingExport first = exporter.nextExport();
    assertEquals(List.of(r1), first.batch().requests());
    // r1 is being exported, r2 waits as the next batch and r3 in the queue: all hold bytes.
    assertEquals(Admission.ACCEPTED, queue.offer(r2));
    assertEquals(Admission.ACCEPTED, queue.offer(r3));
    assertEquals(3 * size, queue.usedBytes());
    assertEquals(Admission.QUEUE_FULL, queue.offer(r4));
    assertEquals(3 * size, queue.usedBytes(), "a refused request reserves nothing");
    assertEquals(new Counts(6, 2, 0, 0, 0), Counts.of(queue.counters().snapshot()));

    first.succeed();
    await().atMost(WAIT).until(queue::usedBytes, used -> used == 2 * size);
    assertEquals(Admission.ACCEPTED, queue.offer(r4));
    assertEquals(Admission.QUEUE_FULL, queue.offer(r4));

    for (ExportRequest expected : List.of(r2, r3, r4)) {
      PendingExport export = exporter.nextExport();
      assertEquals(List.of(expected), export.batch().requests());
      export.succeed();
    }
    await()
        .atMost(WAIT)
        .until(
            () -> Counts.of(queue.counters().snapshot()), s -> s.equals(new Counts(8, 4, 8, 0, 4)));
    assertEquals(0, queue.usedBytes());
  }

  @Test
  void acceptsARequestLargerThanCapacityWhenNothingIsHeld() throws Exception {
    ExportRequest large = traces("large", 50);
    ExportRequest small = traces("small", 1);
    RecordingExporter exporter = RecordingExporter.completingByHand();
    PipelineQueue queue =
        start("large", large.bytes() / 2, ONE_REQUEST_PER_BATCH, exporter).queue();

    assertEquals(Admission.ACCEPTED, queue.offer(large));
    assertEquals(large.bytes(), queue.usedBytes());
    assertEquals(Admission.QUEUE_FULL, queue.offer(small));

    exporter.nextExport().succeed();
    await().atMost(WAIT).until(queue::usedBytes, used -> used == 0);
    assertEquals(Admission.ACCEPTED, queue.offer(small));
    exporter.nextExport().succeed();

    await()
        .atMost(WAIT)
        .until(
            () -> Counts.of(queue.counters().snapshot()),
            s -> s.equals(new Counts(51, 1, 51, 0, 2)));
  }

  @Test
  void countsAFailedExportAndGoesOnExporting() throws Exception {
    ExportRequest lost = traces("lost", 3);
    ExportRequest thrown = traces("thrown", 4);
    ExportRequest kept = traces("kept", 5);
    RecordingExporter exporter = RecordingExporter.completingByHand();
    RunningPipeline pipeline = start("failing", 1 << 20, ONE_REQUEST_PER_BATCH, exporter);
    PipelineQueue queue = pipeline.queue();

    // An export whose stage completes exceptionally.
    assertEquals(Admission.ACCEPTED, queue.offer(lost));
    exporter.nextExport().fail(new IllegalStateException("backend said no"));
    await().atMost(WAIT).until(() -> queue.counters().snapshot().failed() == 3);

    // An exporter that throws instead of returning a stage.
    exporter.throwOnNextCall(new IllegalStateException("exporter broke"));
    assertEquals(Admission.ACCEPTED, queue.offer(thrown));
    await().atMost(WAIT).until(() -> queue.counters().snapshot().failed() == 7);
    assertEquals(0, queue.usedBytes(), "bytes of lost batches are released");

    assertEquals(Admission.ACCEPTED, queue.offer(kept));
    PendingExport next = exporter.nextExport();
    assertEquals(List.of(kept), next.batch().requests());
    next.succeed();

    await()
        .atMost(WAIT)
        .until(
            () -> Counts.of(queue.counters().snapshot()),
            s -> s.equals(new Counts(12, 0, 5, 7, 1)));
    assertEquals(0, queue.usedBytes());
    assertFalse(pipeline.done().toCompletableFuture().isDone(), "the stream is still running");
  }

  @Test
  void drainExportsWhatIsHeldThenStopsAndRefusesAsClosed() throws Exception {
    ExportRequest r1 = traces("r1", 2);
    ExportRequest r2 = traces("r2", 2);
    ExportRequest r3 = traces("r3", 2);
    ExportRequest late = traces("late", 2);
    long size = r1.bytes();
    RecordingExporter exporter = RecordingExporter.completingByHand();
    // Two requests make a full batch; a lone one waits for a timeout that never comes in time.
    BatchSettings twoPerBatch = new BatchSettings(4, Long.MAX_VALUE, Duration.ofMinutes(5));
    RunningPipeline pipeline = start("drained", 3 * size, twoPerBatch, exporter);
    PipelineQueue queue = pipeline.queue();

    assertEquals(Admission.ACCEPTED, queue.offer(r1));
    assertEquals(Admission.ACCEPTED, queue.offer(r2));
    PendingExport full = exporter.nextExport();
    assertEquals(List.of(r1, r2), full.batch().requests());
    assertEquals(Admission.ACCEPTED, queue.offer(r3));
    assertEquals(Admission.QUEUE_FULL, queue.offer(late));

    CompletableFuture<Done> drained = pipeline.drain().toCompletableFuture();
    // Draining, and still holding every byte: a new request is told the pipeline is closed.
    assertEquals(Admission.CLOSED, queue.offer(late));
    assertFalse(drained.isDone());

    full.succeed();
    PendingExport partial = exporter.nextExport();
    assertEquals(List.of(r3), partial.batch().requests(), "drain flushes the partial batch");
    assertFalse(drained.isDone(), "done waits for the last export");
    partial.succeed();

    assertEquals(Done.getInstance(), drained.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertTrue(exporter.closed(), "the exporter is closed once the stream stopped");
    assertEquals(0, queue.usedBytes());
    assertEquals(Admission.CLOSED, queue.offer(late));
    assertEquals(new Counts(6, 2, 6, 0, 2), Counts.of(queue.counters().snapshot()));
    assertEquals(List.of(r1, r2, r3), exporter.receivedRequests());
  }

  private RunningPipeline start(
      String name, long queueBytes, BatchSettings batch, RecordingExporter exporter) {
    return pipelines.start(name, Signal.TRACES, queueBytes, batch, exporter);
  }
}
