package dev.shoal.manager.reconcile;

import static dev.shoal.manager.Manifests.secret;
import static dev.shoal.manager.Manifests.tracePipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.shoal.manager.Manifests;
import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.PipelineKind;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.reconcile.PipelineReconciler.Result;
import dev.shoal.manager.reconcile.TestCertificates.Issued;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import dev.shoal.pipeline.stream.PipelineDefaults;
import dev.shoal.pipeline.stream.PipelineSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Shared set-up and assertions for the {@code PipelineReconciler} tests. */
final class ReconcilerTestSupport {

  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final PipelineDefaults DEFAULTS = PipelineDefaults.fromConfig(ConfigFactory.load());
  static final ReconcilerSettings SETTINGS =
      new ReconcilerSettings(0, Duration.ofDays(14), Duration.ofSeconds(10));

  static Result reconcile(String yaml) {
    return reconcile(yaml, SETTINGS);
  }

  static Result reconcile(String yaml, ReconcilerSettings settings) {
    return new PipelineReconciler(DEFAULTS, settings)
        .reconcile(Manifests.parse(yaml).snapshot(), NOW);
  }

  static ResourceRef trace(String name) {
    return new ResourceRef(PipelineKind.TRACE_PIPELINE, name);
  }

  static Condition condition(Result result, ResourceRef ref) {
    Condition condition = result.conditions().get(ref);
    assertEquals(Condition.CONFIGURATION_GENERATED, condition.getType());
    return condition;
  }

  static void assertRejected(Result result, ResourceRef ref, String reason, String... inMessage) {
    Condition condition = condition(result, ref);
    assertEquals(reason, condition.getReason(), condition.getMessage());
    assertEquals(Condition.FALSE, condition.getStatus());
    for (String part : inMessage) {
      assertTrue(condition.getMessage().contains(part), condition.getMessage());
    }
    assertTrue(
        result.pipelines().stream().noneMatch(p -> p.name().equals(ref.pipelineName())),
        ref + " must not run");
  }

  static PipelineSettings running(Result result, ResourceRef ref) {
    return result.pipelines().stream()
        .filter(p -> p.name().equals(ref.pipelineName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(ref + " does not run: " + result.conditions()));
  }

  static OtlpOutputSettings otlp(PipelineSettings settings) {
    return (OtlpOutputSettings) settings.output();
  }

  /** A pipeline whose client certificate, key and (optional) CA come from one Secret. */
  static String tlsPipeline(String name, Issued client, Optional<String> ca) {
    String ref = "{valueFrom: {secretKeyRef: {name: " + name + "-tls, key: ";
    List<String> lines =
        new java.util.ArrayList<>(
            List.of("tls:", "  cert: " + ref + "tls.crt}}}", "  key: " + ref + "tls.key}}}"));
    List<String> secretEntries =
        new java.util.ArrayList<>(List.of("tls.crt", client.certPem(), "tls.key", client.keyPem()));
    if (ca.isPresent()) {
      lines.add("  ca: " + ref + "ca.crt}}}");
      secretEntries.addAll(List.of("ca.crt", ca.get()));
    }
    return tracePipeline(name, "https://collector:4317", lines.toArray(String[]::new))
        + secret("default", name + "-tls", secretEntries.toArray(String[]::new));
  }

  private ReconcilerTestSupport() {}
}
