package dev.shoal.manager.reconcile;

import static dev.shoal.manager.reconcile.ReconcilerTestSupport.assertRejected;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.reconcile;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.running;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shoal.manager.crd.PipelineKind;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.pipeline.stream.PrometheusInput;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code spec.input.prometheus} of a MetricPipeline: enabled, diagnostics, static targets. */
class PipelineReconcilerPrometheusTest {
  private static final ResourceRef METRICS = new ResourceRef(PipelineKind.METRIC_PIPELINE, "m");

  private static String metricPipeline(String prometheus) {
    return """
        apiVersion: telemetry.shoal.dev/v1beta1
        kind: MetricPipeline
        metadata:
          name: m
        spec:
          input:
            prometheus:
        %s
          output:
            otlp:
              endpoint:
                value: http://collector:4317
        """
        .formatted(prometheus.indent(6).stripTrailing());
  }

  @Test
  void staticTargetsIntervalAndDiagnosticsReachTheDataPlane() {
    var result =
        reconcile(
            metricPipeline(
                """
                enabled: true
                interval: 15s
                diagnosticMetrics: {enabled: true}
                staticTargets:
                  - http://127.0.0.1:9100/metrics
                  - https://10.0.0.5:8443/metrics
                  - http://127.0.0.1:9100/metrics
                """));
    assertEquals(
        new PrometheusInput(
            true,
            true,
            Duration.ofSeconds(15),
            List.of("http://127.0.0.1:9100/metrics", "https://10.0.0.5:8443/metrics")),
        running(result, METRICS).input().prometheus());
  }

  @Test
  void enabledAloneScrapesEveryThirtySecondsWithoutDiagnostics() {
    var result = reconcile(metricPipeline("enabled: true\n"));
    assertEquals(
        new PrometheusInput(true, false, Duration.ofSeconds(30), List.of()),
        running(result, METRICS).input().prometheus());
  }

  @Test
  void badTargetsAndIntervalsAreNamed() {
    assertRejected(
        reconcile(metricPipeline("enabled: true\nstaticTargets: [\"ftp://x/metrics\"]\n")),
        METRICS,
        Reason.VALIDATION_FAILED.id(),
        "spec.input.prometheus.staticTargets",
        "http://");
    assertRejected(
        reconcile(metricPipeline("enabled: true\ninterval: 500ms\n")),
        METRICS,
        Reason.VALIDATION_FAILED.id(),
        "spec.input.prometheus.interval");
    assertRejected(
        reconcile(metricPipeline("staticTargets: [\"http://a:1/metrics\"]\n")),
        METRICS,
        Reason.VALIDATION_FAILED.id(),
        "enabled: true");
  }
}
