package dev.shoal.pipeline.stream;

import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.output.OutputSettings;

/**
 * A resolved, immutable pipeline configuration: everything the data plane needs to run one
 * pipeline, and nothing of the YAML it came from.
 *
 * @param name unique among the pipelines of a node
 * @param signal the signal it carries
 * @param queueBytes bound of everything the pipeline holds, in bytes of encoded requests
 * @param batch how requests are gathered for the output
 * @param exportConcurrency export calls in flight at most
 * @param overflow what happens to a request when the queue is full
 * @param input which requests the pipeline takes
 * @param output where the batches go
 */
public record PipelineSettings(
    String name,
    Signal signal,
    long queueBytes,
    BatchStage.BatchSettings batch,
    int exportConcurrency,
    Overflow overflow,
    InputSelector input,
    OutputSettings output) {

  public PipelineSettings {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("pipeline needs a name");
    if (queueBytes < 1) throw new IllegalArgumentException(name + ": queue bytes must be positive");
    if (exportConcurrency < 1) {
      throw new IllegalArgumentException(name + ": export concurrency must be at least 1");
    }
  }

  /** The same pipeline with another output. */
  public PipelineSettings withOutput(OutputSettings output) {
    return new PipelineSettings(
        name, signal, queueBytes, batch, exportConcurrency, overflow, input, output);
  }
}
