package dev.shoal.pipeline.stream;

import static dev.shoal.pipeline.otlp.TestRequests.traces;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.stream.BatchStage.BatchSettings;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The batching stage between a pipeline's queue and its output, driven element by element through
 * stream test probes.
 */
class BatchStageTest {
  private static final ActorTestKit testKit = ActorTestKit.create("BatchStageTest");

  /** Longer than any test: a batch formed under it leaves only because a bound was reached. */
  private static final Duration NEVER = Duration.ofMinutes(5);

  private static final Duration WAIT = Duration.ofSeconds(5);

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  @Test
  void emitsOnceMaxItemsIsReached() {
    Probes p = start(new BatchSettings(7, Long.MAX_VALUE, NEVER));
    ExportRequest r1 = traces("r1", 3);
    ExportRequest r2 = traces("r2", 3);
    ExportRequest r3 = traces("r3", 3);
    ExportRequest exact = traces("exact", 7);

    p.downstream.request(1);
    p.upstream.sendNext(r1).sendNext(r2).sendNext(r3);

    // 6 items stay below the bound; only the third request makes the batch full.
    assertBatch(List.of(r1, r2, r3), p.downstream.expectNext(WAIT));

    p.downstream.request(1);
    p.upstream.sendNext(exact);
    assertBatch(List.of(exact), p.downstream.expectNext(WAIT));
  }

  @Test
  void emitsOnceMaxBytesIsReached() {
    ExportRequest r1 = traces("r1", 1);
    ExportRequest r2 = traces("r2", 1);
    ExportRequest r3 = traces("r3", 1);
    ExportRequest large = traces("large", 40);
    long maxBytes = r1.bytes() + r2.bytes() + 1;
    assertTrue(large.bytes() > maxBytes);
    Probes p = start(new BatchSettings(Integer.MAX_VALUE, maxBytes, NEVER));

    p.downstream.request(1);
    p.upstream.sendNext(r1).sendNext(r2).sendNext(r3);
    assertBatch(List.of(r1, r2, r3), p.downstream.expectNext(WAIT));

    // A request larger than the bound makes a batch of its own at once.
    p.downstream.request(1);
    p.upstream.sendNext(large);
    assertBatch(List.of(large), p.downstream.expectNext(WAIT));
  }

  @Test
  void emitsAPartialBatchOnceTheTimeoutOfItsFirstRequestExpires() {
    Duration timeout = Duration.ofMillis(300);
    Probes p = start(new BatchSettings(1000, Long.MAX_VALUE, timeout));
    ExportRequest r1 = traces("r1", 1);
    ExportRequest r2 = traces("r2", 2);

    p.downstream.request(2);
    long firstSent = System.nanoTime();
    p.upstream.sendNext(r1);
    assertBatch(List.of(r1), p.downstream.expectNext(WAIT));
    assertNotBefore(timeout, firstSent);

    // The next batch starts its own timeout with its own first request.
    long nextSent = System.nanoTime();
    p.upstream.sendNext(r2);
    assertBatch(List.of(r2), p.downstream.expectNext(WAIT));
    assertNotBefore(timeout, nextSent);
  }

  @Test
  void aSlowDownstreamGetsLargerBatches() {
    Probes p = start(new BatchSettings(10, Long.MAX_VALUE, Duration.ofMillis(100)));
    ExportRequest r1 = traces("r1", 1);
    ExportRequest r2 = traces("r2", 1);
    ExportRequest r3 = traces("r3", 1);
    ExportRequest r4 = traces("r4", 1);

    p.downstream.request(1);
    p.upstream.sendNext(r1);
    assertBatch(List.of(r1), p.downstream.expectNext(WAIT));

    // The downstream is busy: r2's timeout expires, yet nothing may be pushed without demand...
    p.upstream.sendNext(r2);
    p.downstream.expectNoMessage(Duration.ofMillis(300));
    // ...and the stage goes on filling the same batch rather than holding requests back.
    p.upstream.sendNext(r3).sendNext(r4);
    p.downstream.request(1);
    assertBatch(List.of(r2, r3, r4), p.downstream.expectNext(WAIT));
  }

  @Test
  void backpressuresUpstreamOnceTheBatchIsFull() {
    // One request of input buffer in front of the stage, so that upstream demand shows its pulls.
    Probes p = start(new BatchSettings(2, Long.MAX_VALUE, NEVER), Attributes.inputBuffer(1, 1));
    ExportRequest r1 = traces("r1", 1);
    ExportRequest r2 = traces("r2", 1);
    ExportRequest r3 = traces("r3", 1);
    ExportRequest r4 = traces("r4", 1);
    ExportRequest r5 = traces("r5", 1);

    p.downstream.request(1);
    p.upstream.sendNext(r1).sendNext(r2);
    assertBatch(List.of(r1, r2), p.downstream.expectNext(WAIT));

    // No demand downstream: r3 and r4 fill the next batch, r5 can only wait in the input buffer.
    p.upstream.sendNext(r3).sendNext(r4).sendNext(r5);
    p.upstream.expectNoMessage(Duration.ofMillis(300));

    p.downstream.request(1);
    assertBatch(List.of(r3, r4), p.downstream.expectNext(WAIT));
    // Emitting the full batch makes the stage pull r5, which frees the buffer for more.
    assertEquals(1, p.upstream.expectRequest());

    p.upstream.sendComplete();
    p.downstream.request(1);
    assertBatch(List.of(r5), p.downstream.expectNext(WAIT));
    p.downstream.expectComplete();
  }

  @Test
  void upstreamCompletionFlushesThePartialBatch() {
    Probes p = start(new BatchSettings(100, Long.MAX_VALUE, NEVER));
    ExportRequest r1 = traces("r1", 2);
    ExportRequest r2 = traces("r2", 5);

    p.downstream.request(5);
    p.upstream.sendNext(r1).sendNext(r2).sendComplete();

    assertBatch(List.of(r1, r2), p.downstream.expectNext(WAIT));
    p.downstream.expectComplete();
  }

  @Test
  void upstreamCompletionKeepsThePartialBatchUntilDownstreamAsks() {
    Probes p = start(new BatchSettings(2, Long.MAX_VALUE, NEVER));
    ExportRequest r1 = traces("r1", 1);
    ExportRequest r2 = traces("r2", 1);
    ExportRequest r3 = traces("r3", 1);

    p.downstream.request(1);
    p.upstream.sendNext(r1).sendNext(r2);
    assertBatch(List.of(r1, r2), p.downstream.expectNext(WAIT));
    p.upstream.sendNext(r3).sendComplete();

    p.downstream.request(1);
    assertBatch(List.of(r3), p.downstream.expectNext(WAIT));
    p.downstream.expectComplete();
  }

  @Test
  void upstreamCompletionWithNothingBatchedEmitsNoEmptyBatch() {
    Probes p = start(new BatchSettings(2, Long.MAX_VALUE, NEVER));

    p.downstream.request(1);
    p.upstream.sendComplete();

    p.downstream.expectComplete();
  }

  @Test
  void eachBatchCarriesTheTotalsOfItsRequests() {
    Probes p = start(new BatchSettings(10, Long.MAX_VALUE, NEVER));
    ExportRequest r1 = traces("r1", 3);
    ExportRequest r2 = traces("r2", 4);
    ExportRequest r3 = traces("r3", 5);
    ExportRequest r4 = traces("r4", 1);
    ExportRequest r5 = traces("r5", 2);

    p.downstream.request(2);
    p.upstream.sendNext(r1).sendNext(r2).sendNext(r3).sendNext(r4).sendNext(r5).sendComplete();

    Batch full = p.downstream.expectNext(WAIT);
    Batch rest = p.downstream.expectNext(WAIT);
    p.downstream.expectComplete();

    assertEquals(12, full.items(), "3 + 4 + 5 spans: the bound of 10 is passed, not cut");
    assertEquals(r1.bytes() + r2.bytes() + r3.bytes(), full.bytes());
    assertEquals(3, rest.items());
    assertEquals(r4.bytes() + r5.bytes(), rest.bytes());
    for (Batch b : List.of(full, rest)) {
      assertEquals("test-pipeline", b.pipeline());
      assertEquals(Signal.TRACES, b.signal());
      ExportTraceServiceRequest merged = (ExportTraceServiceRequest) b.merged();
      assertEquals(b.requests().size(), merged.getResourceSpansCount());
      assertEquals(b.items(), Signal.TRACES.countItems(merged));
    }
  }

  private record Probes(
      TestPublisher.Probe<ExportRequest> upstream, TestSubscriber.Probe<Batch> downstream) {}

  private static Probes start(BatchSettings settings) {
    return start(settings, Attributes.none());
  }

  private static Probes start(BatchSettings settings, Attributes attributes) {
    Pair<TestPublisher.Probe<ExportRequest>, TestSubscriber.Probe<Batch>> probes =
        TestSource.<ExportRequest>create(testKit.system())
            .via(
                Flow.fromGraph(new BatchStage("test-pipeline", Signal.TRACES, settings))
                    .addAttributes(attributes))
            .toMat(TestSink.<Batch>create(testKit.system()), Keep.both())
            .run(testKit.system());
    return new Probes(probes.first(), probes.second());
  }

  /** The batch holds exactly these requests, in order, and their item and byte totals. */
  private static void assertBatch(List<ExportRequest> expected, Batch batch) {
    assertEquals(expected, batch.requests());
    assertEquals(expected.stream().mapToInt(ExportRequest::items).sum(), batch.items());
    assertEquals(expected.stream().mapToLong(ExportRequest::bytes).sum(), batch.bytes());
  }

  private static void assertNotBefore(Duration expected, long sinceNanos) {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - sinceNanos);
    assertTrue(
        elapsed.compareTo(expected) >= 0,
        "emitted after " + elapsed.toMillis() + " ms, before the timeout of " + expected);
  }
}
