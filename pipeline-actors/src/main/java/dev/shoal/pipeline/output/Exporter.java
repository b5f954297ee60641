package dev.shoal.pipeline.output;

import dev.shoal.pipeline.stream.Batch;
import java.util.concurrent.CompletionStage;

/**
 * The end of a pipeline: takes one batch at a time. The pipeline calls {@link #export} with at most
 * its configured concurrency and releases the batch's bytes when the stage completes.
 */
public interface Exporter {

  /**
   * Delivers a batch, retrying as the output's settings say. Completes normally when the output
   * took it (possibly with a partial rejection); completes exceptionally, preferably with an {@link
   * ExportFailedException} that says why, when the batch is lost. The pipeline counts both.
   */
  CompletionStage<ExportResult> export(Batch batch);

  /** Releases what the exporter holds (files, connections) once the pipeline has drained. */
  default void close() {}
}
