package dev.shoal.pipeline.route;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.stream.Admission;
import dev.shoal.pipeline.stream.BatchStage.BatchSettings;
import dev.shoal.pipeline.stream.InputSelector;
import dev.shoal.pipeline.stream.Overflow;
import dev.shoal.pipeline.stream.PrometheusInput;
import dev.shoal.pipeline.stream.RecordingExporter;
import dev.shoal.pipeline.stream.RunningPipeline;
import dev.shoal.pipeline.stream.TestPipelines;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Scraped series go to the named pipelines that take them; OTLP requests never carry them. */
class SignalRouterScrapedTest {
  private static final ActorTestKit testKit = ActorTestKit.create("SignalRouterScrapedTest");
  private static final BatchSettings ONE_REQUEST_PER_BATCH =
      new BatchSettings(1, Long.MAX_VALUE, Duration.ofMinutes(5));

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

  private RunningPipeline start(String name, InputSelector input, RecordingExporter out) {
    return pipelines.start(
        name, Signal.METRICS, 64L << 20, ONE_REQUEST_PER_BATCH, Overflow.DROP, input, out);
  }

  private static InputSelector prometheus(boolean otlp, boolean diagnostics) {
    return new InputSelector(
        otlp,
        Set.of(),
        Set.of(),
        new PrometheusInput(true, diagnostics, Duration.ofSeconds(30), List.of()));
  }

  private static ExportRequest gauge(String name) {
    return ExportRequest.of(
        Signal.METRICS,
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(
                                Metric.newBuilder()
                                    .setName(name)
                                    .setGauge(
                                        Gauge.newBuilder()
                                            .addDataPoints(
                                                NumberDataPoint.newBuilder().setAsDouble(1))))))
            .build());
  }

  @Test
  void scrapedSeriesReachOnlyNamedPipelinesWithThePrometheusInput() {
    RecordingExporter withDiag = RecordingExporter.completingAtOnce();
    RecordingExporter plain = RecordingExporter.completingAtOnce();
    RecordingExporter otlpOnly = RecordingExporter.completingAtOnce();
    RecordingExporter notNamed = RecordingExporter.completingAtOnce();
    router.route(
        List.of(
            start("diag", prometheus(false, true), withDiag),
            start("plain", prometheus(true, false), plain),
            start("otlp", InputSelector.ALL, otlpOnly),
            start("other", prometheus(false, true), notNamed)));
    Set<String> wanting = Set.of("diag", "plain", "otlp");

    assertEquals(
        Admission.ACCEPTED,
        router.offerScraped(gauge("series"), wanting, false).toCompletableFuture().join());
    assertEquals(
        Admission.ACCEPTED,
        router.offerScraped(gauge("up"), wanting, true).toCompletableFuture().join());
    assertEquals(Admission.ACCEPTED, router.offer(gauge("pushed")));

    await().atMost(Duration.ofSeconds(5)).until(() -> withDiag.receivedRequests().size() == 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> plain.receivedRequests().size() == 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> otlpOnly.receivedRequests().size() == 1);
    assertEquals(List.of("series", "up"), names(withDiag));
    assertEquals(List.of("series", "pushed"), names(plain));
    assertEquals(List.of("pushed"), names(otlpOnly));
    assertEquals(0, notNamed.receivedRequests().size());
    assertEquals(0, router.unroutedItems(), "unwanted diagnostics are no unrouted data");
  }

  private static List<String> names(RecordingExporter out) {
    return out.receivedRequests().stream()
        .map(r -> (ExportMetricsServiceRequest) r.decode())
        .map(r -> r.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getName())
        .toList();
  }
}
