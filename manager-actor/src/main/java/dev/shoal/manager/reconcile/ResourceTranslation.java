package dev.shoal.manager.reconcile;

import dev.shoal.manager.crd.PipelineResource;
import dev.shoal.manager.crd.PipelineSpec;
import dev.shoal.manager.crd.QueueSpec;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import dev.shoal.pipeline.stream.InputSelector;
import dev.shoal.pipeline.stream.Overflow;
import dev.shoal.pipeline.stream.PipelineDefaults;
import dev.shoal.pipeline.stream.PipelineSettings;
import java.time.Instant;

/** The checks and the translation of one resource; collects every problem it finds. */
final class ResourceTranslation {

  private final PipelineResource resource;
  private final PipelineDefaults defaults;
  private final Findings findings = new Findings();
  private final InputTranslation input;
  private final QueueTranslation queue;
  private final OtlpOutputTranslation output;

  ResourceTranslation(
      PipelineResource resource,
      SecretIndex secrets,
      Instant now,
      PipelineDefaults defaults,
      ReconcilerSettings settings) {
    this.resource = resource;
    this.defaults = defaults;
    SecretValues values = new SecretValues(secrets, findings);
    this.input = new InputTranslation(findings);
    this.queue = new QueueTranslation(findings, defaults.queueBytes());
    this.output = new OtlpOutputTranslation(findings, values, settings, resource, now);
  }

  Outcome run() {
    return findings.outcome(translate());
  }

  private PipelineSettings translate() {
    PipelineSpec spec = resource.pipelineSpec();
    if (spec == null) {
      findings.problem(Reason.VALIDATION_FAILED, "spec: required; give at least spec.output.otlp");
      return null;
    }
    InputSelector selector = input.input(spec);
    long queueBytes = defaults.queueBytes();
    Overflow overflow = Overflow.DROP;
    QueueSpec queueSpec = spec.getQueue();
    if (queueSpec != null) {
      if (queueSpec.getBytes() != null) queueBytes = queue.bytes(queueSpec.getBytes());
      overflow = queue.overflow(queueSpec.getOverflow());
    }
    OtlpOutputSettings otlp = output.output(spec);
    int concurrency = output.concurrency(spec, defaults.exportConcurrency());
    if (findings.blocked()) return null;
    try {
      return new PipelineSettings(
          resource.ref().pipelineName(),
          resource.pipelineKind().signal(),
          queueBytes,
          defaults.batch(),
          concurrency,
          overflow,
          selector,
          otlp);
    } catch (IllegalArgumentException e) {
      findings.problem(Reason.VALIDATION_FAILED, e.getMessage());
      return null;
    }
  }
}
