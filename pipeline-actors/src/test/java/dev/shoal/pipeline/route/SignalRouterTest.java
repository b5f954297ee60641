package dev.shoal.pipeline.route;

import static dev.shoal.pipeline.otlp.TestRequests.logs;
import static dev.shoal.pipeline.otlp.TestRequests.traces;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.output.DropReason;
import dev.shoal.pipeline.stream.Admission;
import dev.shoal.pipeline.stream.BatchStage.BatchSettings;
import dev.shoal.pipeline.stream.Counts;
import dev.shoal.pipeline.stream.PipelineQueue;
import dev.shoal.pipeline.stream.RecordingExporter;
import dev.shoal.pipeline.stream.RunningPipeline;
import dev.shoal.pipeline.stream.TestPipelines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fan-out of requests to the pipelines of their signal, over real pipeline streams. */
class SignalRouterTest {
  private static final ActorTestKit testKit = ActorTestKit.create("SignalRouterTest");

  private static final BatchSettings ONE_REQUEST_PER_BATCH =
      new BatchSettings(1, Long.MAX_VALUE, Duration.ofMinutes(5));
  private static final BatchSettings SMALL_BATCHES =
      new BatchSettings(500, Long.MAX_VALUE, Duration.ofMillis(10));
  private static final long AMPLE_BYTES = 64L << 20;
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final SignalRouter router = new SignalRouter();
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
  void acceptsWhenEitherPipelineAcceptsAndRefusesOnlyWhenAllAreFull() throws Exception {
    ExportRequest r1 = traces("r1", 2);
    ExportRequest r2 = traces("r2", 2);
    ExportRequest r3 = traces("r3", 2);
    ExportRequest r4 = traces("r4", 2);
    long size = r1.bytes();
    RecordingExporter outA = RecordingExporter.completingByHand();
    RecordingExporter outB = RecordingExporter.completingByHand();
    RunningPipeline aRun = start("a", Signal.TRACES, size, ONE_REQUEST_PER_BATCH, outA);
    PipelineQueue a = aRun.queue();
    RunningPipeline bRun = start("b", Signal.TRACES, 2 * size, ONE_REQUEST_PER_BATCH, outB);
    PipelineQueue b = bRun.queue();
    router.route(List.of(aRun, bRun));

    assertEquals(Admission.ACCEPTED, router.offer(r1));
    assertEquals(Admission.ACCEPTED, router.offer(r2), "a is full, b takes it");
    assertEquals(Admission.QUEUE_FULL, router.offer(r3), "both are full");

    outA.nextExport().succeed();
    await().atMost(WAIT).until(a::usedBytes, used -> used == 0);
    assertEquals(Admission.ACCEPTED, router.offer(r4), "a has room again, b is still full");

    // r4 is exported by a only after r1's export was counted.
    await().atMost(WAIT).until(outA::receivedRequests, got -> got.equals(List.of(r1, r4)));
    // A full pipeline that another one covered skips the request (dropped, queue_full); only
    // when every pipeline was full is the client refused, and each of them counts it refused.
    assertEquals(new Counts(4, 2, 2, 0, 1), Counts.of(a.counters().snapshot()));
    assertEquals(2, a.counters().snapshot().dropped(DropReason.QUEUE_FULL));
    assertEquals(new Counts(4, 2, 0, 0, 0), Counts.of(b.counters().snapshot()));
    assertEquals(2, b.counters().snapshot().dropped(DropReason.QUEUE_FULL));
    assertEquals(List.of(r1), outB.receivedRequests());
    assertEquals(0, router.unroutedItems());
  }

  @Test
  void requestsOfAnotherSignalDoNotReachThePipelines() {
    RecordingExporter outT1 = RecordingExporter.completingAtOnce();
    RecordingExporter outT2 = RecordingExporter.completingAtOnce();
    RecordingExporter outLogs = RecordingExporter.completingAtOnce();
    RunningPipeline t1Run = start("t1", Signal.TRACES, AMPLE_BYTES, SMALL_BATCHES, outT1);
    PipelineQueue t1 = t1Run.queue();
    RunningPipeline t2Run = start("t2", Signal.TRACES, AMPLE_BYTES, SMALL_BATCHES, outT2);
    PipelineQueue t2 = t2Run.queue();
    RunningPipeline lRun = start("l", Signal.LOGS, AMPLE_BYTES, SMALL_BATCHES, outLogs);
    PipelineQueue l = lRun.queue();
    router.route(List.of(t1Run, lRun, t2Run));
    ExportRequest logRecords = logs("log", 3);
    ExportRequest spans = traces("spans", 2);

    assertEquals(Admission.ACCEPTED, router.offer(logRecords));
    assertEquals(Admission.ACCEPTED, router.offer(spans));

    await().atMost(WAIT).until(outLogs::receivedRequests, got -> got.equals(List.of(logRecords)));
    await().atMost(WAIT).until(outT1::receivedRequests, got -> got.equals(List.of(spans)));
    await().atMost(WAIT).until(outT2::receivedRequests, got -> got.equals(List.of(spans)));
    assertEquals(3, l.counters().snapshot().accepted());
    assertEquals(2, t1.counters().snapshot().accepted());
    assertEquals(2, t2.counters().snapshot().accepted());
    assertEquals(0, router.unroutedItems());
  }

  @Test
  void acceptsAndCountsRequestsOfASignalWithoutPipelines() {
    RecordingExporter out = RecordingExporter.completingAtOnce();
    RunningPipeline tRun = start("t", Signal.TRACES, AMPLE_BYTES, SMALL_BATCHES, out);
    PipelineQueue t = tRun.queue();

    assertEquals(Admission.ACCEPTED, router.offer(traces("before-any-route", 3)));
    assertEquals(3, router.unroutedItems());

    router.route(List.of(tRun));
    assertEquals(Admission.ACCEPTED, router.offer(logs("no-logs-pipeline", 4)));
    assertEquals(7, router.unroutedItems());
    assertEquals(Admission.ACCEPTED, router.offer(traces("routed", 5)));
    assertEquals(7, router.unroutedItems(), "routed items are not unrouted");
    assertEquals(5, t.counters().snapshot().accepted());

    router.route(List.of());
    assertEquals(Admission.ACCEPTED, router.offer(traces("after-routes-removed", 1)));
    assertEquals(8, router.unroutedItems());
    assertEquals(5, t.counters().snapshot().accepted());
  }

  @Test
  void replacingRoutesSendsLaterRequestsOnlyToTheNewPipelines() {
    RecordingExporter outOld1 = RecordingExporter.completingAtOnce();
    RecordingExporter outOld2 = RecordingExporter.completingAtOnce();
    RecordingExporter outNew = RecordingExporter.completingAtOnce();
    RunningPipeline old1Run = start("old1", Signal.TRACES, AMPLE_BYTES, SMALL_BATCHES, outOld1);
    PipelineQueue old1 = old1Run.queue();
    RunningPipeline old2Run = start("old2", Signal.TRACES, AMPLE_BYTES, SMALL_BATCHES, outOld2);
    PipelineQueue old2 = old2Run.queue();
    RunningPipeline nextRun = start("new", Signal.TRACES, AMPLE_BYTES, SMALL_BATCHES, outNew);
    PipelineQueue next = nextRun.queue();
    ExportRequest before = traces("before", 1);
    ExportRequest after = traces("after", 2);

    router.route(List.of(old1Run, old2Run));
    assertEquals(Admission.ACCEPTED, router.offer(before));
    router.route(List.of(nextRun));
    assertEquals(Admission.ACCEPTED, router.offer(after));

    await().atMost(WAIT).until(outNew::receivedRequests, got -> got.equals(List.of(after)));
    assertEquals(1, old1.counters().snapshot().accepted());
    assertEquals(1, old2.counters().snapshot().accepted());
    assertEquals(2, next.counters().snapshot().accepted());
    await().atMost(WAIT).until(outOld1::receivedRequests, got -> got.equals(List.of(before)));
    await().atMost(WAIT).until(outOld2::receivedRequests, got -> got.equals(List.of(before)));
  }

  /**
   * While one thread offers without pause, the routes switch from one pair of pipelines to another:
   * every request reaches both pipelines of exactly one pair, and once a request went to the new
   * pair no later one goes to the old pair.
   */
  @Test
  void concurrentOffersAreEachRoutedByOneWholeSnapshot() throws Exception {
    int swapAfter = 1_000;
    int beforeWaiting = 20_000;
    int afterSwap = 1_000;
    Map<String, RecordingExporter> outputs = new LinkedHashMap<>();
    List<RunningPipeline> started = new ArrayList<>();
    for (String name : List.of("old1", "old2", "new1", "new2")) {
      RecordingExporter out = RecordingExporter.completingAtOnce();
      outputs.put(name, out);
      started.add(start(name, Signal.TRACES, AMPLE_BYTES, SMALL_BATCHES, out));
    }
    router.route(List.of(started.get(0), started.get(1)));

    CountDownLatch reachedSwapPoint = new CountDownLatch(1);
    CountDownLatch swapped = new CountDownLatch(1);
    List<ExportRequest> offered = new ArrayList<>();
    List<Admission> admissions = new ArrayList<>();
    CompletableFuture<Void> offering =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < beforeWaiting + afterSwap; i++) {
                if (i == swapAfter) reachedSwapPoint.countDown();
                // Ensure some requests follow the swap even if the swapping thread is slow.
                if (i == beforeWaiting) awaitLatch(swapped);
                ExportRequest request = traces("req-" + i, 1);
                offered.add(request);
                admissions.add(router.offer(request));
              }
            });

    assertTrue(reachedSwapPoint.await(WAIT.toSeconds(), TimeUnit.SECONDS));
    router.route(List.of(started.get(2), started.get(3)));
    swapped.countDown();
    offering.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    for (RunningPipeline p : started) {
      p.drain().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    assertTrue(admissions.stream().allMatch(a -> a == Admission.ACCEPTED), "all accepted");
    Map<ExportRequest, Integer> index = new IdentityHashMap<>();
    for (int i = 0; i < offered.size(); i++) index.put(offered.get(i), i);
    List<Integer> old1 = indices(outputs.get("old1"), index);
    List<Integer> old2 = indices(outputs.get("old2"), index);
    List<Integer> new1 = indices(outputs.get("new1"), index);
    List<Integer> new2 = indices(outputs.get("new2"), index);
    assertEquals(old1, old2, "both old pipelines got the same requests");
    assertEquals(new1, new2, "both new pipelines got the same requests");
    int switchedAt = old1.size();
    assertTrue(switchedAt >= swapAfter && switchedAt <= beforeWaiting, "switched at " + switchedAt);
    assertEquals(IntStream.range(0, switchedAt).boxed().toList(), old1);
    assertEquals(IntStream.range(switchedAt, offered.size()).boxed().toList(), new1);
    assertFalse(new1.isEmpty());
    assertEquals(0, router.unroutedItems());
  }

  private static List<Integer> indices(
      RecordingExporter output, Map<ExportRequest, Integer> index) {
    return output.receivedRequests().stream().map(index::get).toList();
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("routes were not swapped in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private RunningPipeline start(
      String name,
      Signal signal,
      long queueBytes,
      BatchSettings batch,
      RecordingExporter exporter) {
    return pipelines.start(name, signal, queueBytes, batch, exporter);
  }
}
