package dev.shoal.manager.reconcile;

import static dev.shoal.manager.Manifests.tracePipeline;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.DEFAULTS;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.assertRejected;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.condition;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.otlp;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.reconcile;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.running;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.PipelineKind;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.reconcile.PipelineReconciler.Result;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import dev.shoal.pipeline.output.OtlpOutputSettings.Compression;
import dev.shoal.pipeline.output.OtlpOutputSettings.Protocol;
import dev.shoal.pipeline.output.OtlpOutputSettings.Retry;
import dev.shoal.pipeline.output.OtlpOutputSettings.Tls;
import dev.shoal.pipeline.stream.InputSelector;
import dev.shoal.pipeline.stream.Overflow;
import dev.shoal.pipeline.stream.PipelineSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How valid pipelines are mapped to pipeline settings, with defaults and input selection. */
class PipelineReconcilerMappingTest {

  @Test
  void aMinimalPipelineRunsWithTheDefaults() {
    Result result = reconcile(tracePipeline("backend", "http://collector:4317"));

    Condition condition = condition(result, trace("backend"));
    assertEquals(Condition.TRUE, condition.getStatus());
    assertEquals("ConfigurationApplied", condition.getReason());
    assertEquals("2026-11-23T12:00:00Z", condition.getLastTransitionTime());
    assertEquals(1L, condition.getObservedGeneration());
    PipelineSettings expected =
        new PipelineSettings(
            "tracepipeline/backend",
            Signal.TRACES,
            DEFAULTS.queueBytes(),
            DEFAULTS.batch(),
            DEFAULTS.exportConcurrency(),
            Overflow.DROP,
            InputSelector.ALL,
            new OtlpOutputSettings(
                Protocol.GRPC,
                URI.create("http://collector:4317"),
                "",
                Map.of(),
                Tls.DEFAULT,
                Compression.GZIP,
                Duration.ofSeconds(10),
                Retry.DEFAULT));
    assertEquals(List.of(expected), result.pipelines());
  }

  @Test
  void signalAndNameComeFromTheKindAndHttpGetsTheSignalsPath() {
    Result result =
        reconcile(
            """
            apiVersion: telemetry.shoal.dev/v1beta1
            kind: MetricPipeline
            metadata: {name: prom}
            spec:
              output:
                otlp:
                  protocol: http
                  endpoint: {value: "https://metrics.example.com"}
            ---
            apiVersion: telemetry.shoal.dev/v1beta1
            kind: LogPipeline
            metadata: {name: loki}
            spec:
              output:
                otlp:
                  protocol: http
                  endpoint: {value: "https://logs.example.com/otlp"}
                  path: /otlp/v1/logs
            """);
    PipelineSettings metrics =
        running(result, new ResourceRef(PipelineKind.METRIC_PIPELINE, "prom"));
    assertEquals("metricpipeline/prom", metrics.name());
    assertEquals(Signal.METRICS, metrics.signal());
    assertEquals(Protocol.HTTP, otlp(metrics).protocol());
    assertEquals("/v1/metrics", otlp(metrics).path());
    PipelineSettings logs = running(result, new ResourceRef(PipelineKind.LOG_PIPELINE, "loki"));
    assertEquals(Signal.LOGS, logs.signal());
    assertEquals("/otlp/v1/logs", otlp(logs).path());
  }

  @Test
  void queueTimeoutRetryAndCompressionAreMapped() {
    Result result =
        reconcile(
            tracePipeline(
                    "tuned",
                    "https://collector:4317",
                    "compression: none",
                    "timeout: 2500ms",
                    "retry: {enabled: false, initialInterval: 1s, maxInterval: 1m30s, maxElapsedTime: 10m}")
                + "  queue:\n    bytes: 32Mi\n    overflow: refuse\n");
    PipelineSettings settings = running(result, trace("tuned"));
    assertEquals(32L * 1024 * 1024, settings.queueBytes());
    assertEquals(Overflow.REFUSE, settings.overflow());
    assertEquals(Compression.NONE, otlp(settings).compression());
    assertEquals(Duration.ofMillis(2500), otlp(settings).requestTimeout());
    assertEquals(
        new Retry(false, Duration.ofSeconds(1), Duration.ofSeconds(90), Duration.ofMinutes(10)),
        otlp(settings).retry());
  }

  @Test
  void exportConcurrencyIsTheDefaultUnlessThePipelineSetsIt() {
    Result result =
        reconcile(
            tracePipeline("plain", "http://c:4317")
                + tracePipeline("wide", "http://c:4317", "concurrency: 8")
                + tracePipeline("silly", "http://c:4317", "concurrency: 0"));
    assertEquals(DEFAULTS.exportConcurrency(), running(result, trace("plain")).exportConcurrency());
    assertEquals(8, running(result, trace("wide")).exportConcurrency());
    assertRejected(
        result, trace("silly"), "ValidationFailed", "spec.output.otlp.concurrency", "1 to 64");
  }

  @Test
  void overflowDropIsTheDefaultAndCanBeSpelledOut() {
    Result result =
        reconcile(
            tracePipeline("a", "http://c:4317")
                + "  queue:\n    overflow: drop\n"
                + tracePipeline("b", "http://c:4317")
                + "  queue:\n    bytes: 1Gi\n");
    assertEquals(Overflow.DROP, running(result, trace("a")).overflow());
    assertEquals(DEFAULTS.queueBytes(), running(result, trace("a")).queueBytes());
    assertEquals(Overflow.DROP, running(result, trace("b")).overflow());
    assertEquals(1L << 30, running(result, trace("b")).queueBytes());
  }

  @Test
  void namespacesIncludeAndExcludeBecomeTheInputSelector() {
    String base = tracePipeline("x", "http://c:4317");
    Result include =
        reconcile(
            base.replace(
                "spec:\n",
                "spec:\n  input:\n    otlp:\n      namespaces: {include: [shop, pay]}\n"));
    assertEquals(
        new InputSelector(true, Set.of("shop", "pay"), Set.of()),
        running(include, trace("x")).input());

    Result exclude =
        reconcile(
            base.replace(
                "spec:\n",
                "spec:\n  input:\n    otlp:\n      namespaces: {exclude: [kube-system]}\n"));
    assertEquals(
        new InputSelector(true, Set.of(), Set.of("kube-system")),
        running(exclude, trace("x")).input());

    Result disabled =
        reconcile(base.replace("spec:\n", "spec:\n  input:\n    otlp:\n      enabled: false\n"));
    assertEquals(
        new InputSelector(false, Set.of(), Set.of()), running(disabled, trace("x")).input());

    Result kymaDisabled =
        reconcile(base.replace("spec:\n", "spec:\n  input:\n    otlp:\n      disabled: true\n"));
    assertEquals(false, running(kymaDisabled, trace("x")).input().otlpEnabled());

    Result both =
        reconcile(
            base.replace(
                "spec:\n",
                "spec:\n  input:\n    otlp:\n      namespaces: {include: [a], exclude: [b]}\n"));
    assertRejected(
        both,
        trace("x"),
        "ValidationFailed",
        "spec.input.otlp.namespaces: give include or exclude");
  }
}
