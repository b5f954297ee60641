package dev.shoal.pipeline.route;

import static dev.shoal.pipeline.otlp.TestRequests.traces;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.stream.Admission;
import dev.shoal.pipeline.stream.BatchStage.BatchSettings;
import dev.shoal.pipeline.stream.InputSelector;
import dev.shoal.pipeline.stream.Overflow;
import dev.shoal.pipeline.stream.RecordingExporter;
import dev.shoal.pipeline.stream.RunningPipeline;
import dev.shoal.pipeline.stream.TestPipelines;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What each pipeline takes of a request: the whole request or nothing when it refuses on overflow,
 * only the resources of the namespaces it selects.
 */
class SignalRouterSelectionTest {
  private static final ActorTestKit testKit = ActorTestKit.create("SignalRouterSelectionTest");

  private static final BatchSettings ONE_REQUEST_PER_BATCH =
      new BatchSettings(1, Long.MAX_VALUE, Duration.ofMinutes(5));
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
  void aFullRefusingPipelineRefusesTheWholeRequestAndNoPipelineKeepsIt() throws Exception {
    ExportRequest r1 = traces("r1", 2);
    ExportRequest r2 = traces("r2", 2);
    RecordingExporter outStrict = RecordingExporter.completingByHand();
    RecordingExporter outLoose = RecordingExporter.completingByHand();
    RunningPipeline strict =
        pipelines.start(
            "strict",
            Signal.TRACES,
            r1.bytes(),
            ONE_REQUEST_PER_BATCH,
            Overflow.REFUSE,
            InputSelector.ALL,
            outStrict);
    RunningPipeline loose =
        pipelines.start(
            "loose",
            Signal.TRACES,
            AMPLE_BYTES,
            ONE_REQUEST_PER_BATCH,
            Overflow.DROP,
            InputSelector.ALL,
            outLoose);
    router.route(List.of(strict, loose));

    assertEquals(Admission.ACCEPTED, router.offer(r1));
    long looseHeld = loose.queue().usedBytes();
    assertEquals(Admission.QUEUE_FULL, router.offer(r2), "strict is full and refuses");
    // The reservation the loose pipeline made for r2 was given back: a retry brings no duplicate.
    assertEquals(looseHeld, loose.queue().usedBytes());
    assertEquals(2, strict.queue().counters().snapshot().refused());
    assertEquals(2, loose.queue().counters().snapshot().refused());
    assertEquals(0, loose.queue().counters().snapshot().droppedTotal());
  }

  @Test
  void namespaceSelectionHandsEachPipelineOnlyItsResources() throws Exception {
    RecordingExporter outShop = RecordingExporter.completingAtOnce();
    RecordingExporter outRest = RecordingExporter.completingAtOnce();
    RecordingExporter outNone = RecordingExporter.completingAtOnce();
    RunningPipeline shop =
        pipelines.start(
            "shop",
            Signal.TRACES,
            AMPLE_BYTES,
            ONE_REQUEST_PER_BATCH,
            Overflow.DROP,
            new InputSelector(true, java.util.Set.of("shop"), java.util.Set.of()),
            outShop);
    RunningPipeline rest =
        pipelines.start(
            "rest",
            Signal.TRACES,
            AMPLE_BYTES,
            ONE_REQUEST_PER_BATCH,
            Overflow.DROP,
            new InputSelector(true, java.util.Set.of(), java.util.Set.of("shop")),
            outRest);
    RunningPipeline off =
        pipelines.start(
            "off",
            Signal.TRACES,
            AMPLE_BYTES,
            ONE_REQUEST_PER_BATCH,
            Overflow.DROP,
            new InputSelector(false, java.util.Set.of(), java.util.Set.of()),
            outNone);
    router.route(List.of(shop, rest, off));

    var inShop = namespaced(traces("cart", 3), "shop");
    var inBilling = namespaced(traces("invoice", 2), "billing");
    var both =
        io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
            .addAllResourceSpans(inShop.getResourceSpansList())
            .addAllResourceSpans(inBilling.getResourceSpansList())
            .build();
    assertEquals(Admission.ACCEPTED, router.offer(ExportRequest.of(Signal.TRACES, both)));

    await().atMost(WAIT).until(() -> outShop.receivedRequests().size() == 1);
    await().atMost(WAIT).until(() -> outRest.receivedRequests().size() == 1);
    assertEquals(inShop, outShop.receivedRequests().get(0).decode());
    assertEquals(inBilling, outRest.receivedRequests().get(0).decode());
    assertEquals(3, shop.queue().counters().snapshot().accepted());
    assertEquals(2, rest.queue().counters().snapshot().accepted());
    assertEquals(0, off.queue().counters().snapshot().received());
    assertEquals(0, router.unroutedItems(), "every resource had a pipeline");

    var elsewhere = namespaced(traces("audit", 4), "shop");
    var orphan = namespaced(traces("orphan", 6), "nobody");
    var mixed =
        io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
            .addAllResourceSpans(elsewhere.getResourceSpansList())
            .addAllResourceSpans(orphan.getResourceSpansList())
            .build();
    router.offer(ExportRequest.of(Signal.TRACES, mixed));
    // "nobody" is not excluded by "rest": rest takes it; nothing is left over.
    assertEquals(0, router.unroutedItems());
  }

  @Test
  void resourcesNoPipelineSelectsAreCountedAsUnrouted() throws Exception {
    RecordingExporter out = RecordingExporter.completingAtOnce();
    RunningPipeline shopOnly =
        pipelines.start(
            "shop-only",
            Signal.TRACES,
            AMPLE_BYTES,
            ONE_REQUEST_PER_BATCH,
            Overflow.DROP,
            new InputSelector(true, java.util.Set.of("shop"), java.util.Set.of()),
            out);
    router.route(List.of(shopOnly));
    var inShop = namespaced(traces("cart", 3), "shop");
    var elsewhere = namespaced(traces("invoice", 2), "billing");
    var both =
        io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
            .addAllResourceSpans(inShop.getResourceSpansList())
            .addAllResourceSpans(elsewhere.getResourceSpansList())
            .build();
    assertEquals(Admission.ACCEPTED, router.offer(ExportRequest.of(Signal.TRACES, both)));
    assertEquals(2, router.unroutedItems(Signal.TRACES), "the billing spans nobody selects");
    assertEquals(3, shopOnly.queue().counters().snapshot().accepted());
  }

  private static io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest namespaced(
      ExportRequest request, String namespace) {
    var message =
        (io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest) request.decode();
    var resource =
        message.getResourceSpans(0).getResource().toBuilder()
            .addAttributes(
                io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                    .setKey("k8s.namespace.name")
                    .setValue(
                        io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                            .setStringValue(namespace)));
    return message.toBuilder()
        .setResourceSpans(0, message.getResourceSpans(0).toBuilder().setResource(resource))
        .build();
  }
}
