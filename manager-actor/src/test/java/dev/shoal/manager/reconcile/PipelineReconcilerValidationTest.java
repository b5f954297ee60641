package dev.shoal.manager.reconcile;

import static dev.shoal.manager.Manifests.tracePipeline;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.assertRejected;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.condition;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.reconcile;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.running;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.PipelineKind;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.reconcile.PipelineReconciler.Result;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How invalid pipelines are rejected, isolated from valid ones and limited per kind. */
class PipelineReconcilerValidationTest {

  @Test
  void anEndpointThatIsNoHttpUrlWithAHostIsEndpointInvalid() {
    for (String endpoint :
        List.of(
            "collector:4317", "ftp://collector", "http://", "http:///path", "not a url", "  ")) {
      Result result = reconcile(tracePipeline("backend", endpoint));
      if (endpoint.isBlank()) {
        assertRejected(result, trace("backend"), "EndpointInvalid");
      } else {
        assertRejected(
            result,
            trace("backend"),
            "EndpointInvalid",
            "spec.output.otlp.endpoint: '"
                + endpoint.trim()
                + "' is not a URL with scheme http or https",
            "write it as https://host:port");
      }
    }
  }

  @Test
  void unknownValuesAreValidationFailedWithTheFieldPath() {
    assertRejected(
        reconcile(tracePipeline("p", "http://c:4317", "protocol: foo")),
        trace("p"),
        "ValidationFailed",
        "spec.output.otlp.protocol: 'foo' is not supported; use grpc or http");
    assertRejected(
        reconcile(tracePipeline("p", "http://c:4317") + "  queue:\n    overflow: bar\n"),
        trace("p"),
        "ValidationFailed",
        "spec.queue.overflow: 'bar' is not supported; use drop or refuse");
    assertRejected(
        reconcile(tracePipeline("p", "http://c:4317", "compression: zstd")),
        trace("p"),
        "ValidationFailed",
        "spec.output.otlp.compression: 'zstd'");
    assertRejected(
        reconcile(tracePipeline("p", "http://c:4317") + "  queue:\n    bytes: lots\n"),
        trace("p"),
        "ValidationFailed",
        "spec.queue.bytes: 'lots' is not a positive byte quantity");
    assertRejected(
        reconcile(tracePipeline("p", "http://c:4317", "timeout: soon")),
        trace("p"),
        "ValidationFailed",
        "spec.output.otlp.timeout: 'soon' is not a positive duration");
    assertRejected(
        reconcile(tracePipeline("p", "http://c:4317", "path: /v1/traces")),
        trace("p"),
        "ValidationFailed",
        "spec.output.otlp.path: only for protocol http");
    assertRejected(
        reconcile(tracePipeline("p", "http://c:4317", "endpont: {value: x}")),
        trace("p"),
        "ValidationFailed",
        "spec.output.otlp.endpont: unknown field");
    assertRejected(
        reconcile(
            "apiVersion: telemetry.shoal.dev/v1beta1\nkind: TracePipeline\nmetadata: {name: p}\n"),
        trace("p"),
        "ValidationFailed",
        "spec: required");
  }

  @Test
  void severalProblemsOfTheWorstReasonAreAllNamed() {
    Condition condition =
        condition(
            reconcile(tracePipeline("p", "nope", "protocol: foo", "compression: bar")), trace("p"));
    assertEquals(
        "ValidationFailed", condition.getReason(), "ValidationFailed outranks EndpointInvalid");
    assertTrue(condition.getMessage().contains("protocol: 'foo'"), condition.getMessage());
    assertTrue(condition.getMessage().contains("compression: 'bar'"), condition.getMessage());
  }

  @Test
  void validPipelinesAreUnaffectedByAnInvalidOne() {
    String good = tracePipeline("good", "http://a:4317") + tracePipeline("other", "https://b:4317");
    Result alone = reconcile(good);
    Result withBad = reconcile(good + tracePipeline("bad", "a:b:c"));

    assertEquals(alone.pipelines(), withBad.pipelines());
    assertEquals(2, withBad.pipelines().size());
    assertRejected(withBad, trace("bad"), "EndpointInvalid");
    assertEquals("ConfigurationApplied", condition(withBad, trace("good")).getReason());
  }

  @Test
  void beyondTheLimitPerKindTheLaterPipelinesStop() {
    String yaml =
        tracePipeline("b", "http://c:4317")
            + tracePipeline("a", "http://c:4317")
            + tracePipeline("broken", "nope")
            + "---\napiVersion: telemetry.shoal.dev/v1beta1\nkind: LogPipeline\nmetadata: {name: z}\n"
            + "spec: {output: {otlp: {endpoint: {value: 'http://c:4317'}}}}\n";
    Result result =
        reconcile(yaml, new ReconcilerSettings(1, Duration.ofDays(14), Duration.ofSeconds(10)));
    running(result, trace("a"));
    assertRejected(result, trace("b"), "MaxPipelinesExceeded", "At most 1 TracePipeline");
    assertRejected(result, trace("broken"), "EndpointInvalid");
    running(result, new ResourceRef(PipelineKind.LOG_PIPELINE, "z"));
  }
}
