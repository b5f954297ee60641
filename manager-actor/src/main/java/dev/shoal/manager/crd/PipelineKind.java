package dev.shoal.manager.crd;

import dev.shoal.pipeline.otlp.Signal;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** The three pipeline kinds, and the signal each one carries. */
public enum PipelineKind {
  TRACE_PIPELINE("TracePipeline", Signal.TRACES, TracePipeline::new),
  METRIC_PIPELINE("MetricPipeline", Signal.METRICS, MetricPipeline::new),
  LOG_PIPELINE("LogPipeline", Signal.LOGS, LogPipeline::new);

  /** The {@code apiVersion} of every pipeline resource. */
  public static final String API_VERSION = "telemetry.shoal.dev/v1beta1";

  private final String kind;
  private final Signal signal;
  private final Supplier<PipelineResource> constructor;

  PipelineKind(String kind, Signal signal, Supplier<PipelineResource> constructor) {
    this.kind = kind;
    this.signal = signal;
    this.constructor = constructor;
  }

  /** The {@code kind} as written in YAML, e.g. {@code TracePipeline}. */
  public String kind() {
    return kind;
  }

  /** Lower case, as used in pipeline names and status file names, e.g. {@code tracepipeline}. */
  public String id() {
    return kind.toLowerCase(Locale.ROOT);
  }

  public Signal signal() {
    return signal;
  }

  /** An empty resource of this kind. */
  public PipelineResource newResource() {
    return constructor.get();
  }

  /** The kind written as {@code kind} in YAML, if it is a pipeline kind. */
  public static Optional<PipelineKind> fromKind(String kind) {
    for (PipelineKind k : values()) {
      if (k.kind.equals(kind)) return Optional.of(k);
    }
    return Optional.empty();
  }
}
