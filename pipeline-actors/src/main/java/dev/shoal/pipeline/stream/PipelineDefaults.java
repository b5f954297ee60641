package dev.shoal.pipeline.stream;

import com.typesafe.config.Config;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.output.DebugOutputSettings;
import dev.shoal.pipeline.output.OutputSettings;
import java.nio.file.Path;

/**
 * The settings every pipeline starts from ({@code shoal.pipeline.pipeline-defaults} and {@code
 * shoal.pipeline.debug-output}), read once.
 */
public record PipelineDefaults(
    long queueBytes, BatchStage.BatchSettings batch, int exportConcurrency, Config debugOutput) {

  public static PipelineDefaults fromConfig(Config config) {
    Config p = config.getConfig("shoal.pipeline.pipeline-defaults");
    return new PipelineDefaults(
        p.getBytes("queue-bytes"),
        new BatchStage.BatchSettings(
            p.getInt("batch.max-items"),
            p.getBytes("batch.max-bytes"),
            p.getDuration("batch.timeout")),
        p.getInt("export-concurrency"),
        config.getConfig("shoal.pipeline.debug-output"));
  }

  /** A pipeline with these defaults and the given output. */
  public PipelineSettings pipeline(String name, Signal signal, OutputSettings output) {
    return new PipelineSettings(
        name,
        signal,
        queueBytes,
        batch,
        exportConcurrency,
        Overflow.DROP,
        InputSelector.ALL,
        output);
  }

  /** A debug output writing {@code <directory>/<fileName>.jsonl}. */
  public DebugOutputSettings debugOutput(Path directory, String fileName) {
    return new DebugOutputSettings(
        directory,
        fileName,
        debugOutput.getBytes("rotate-bytes"),
        debugOutput.getInt("keep-files"),
        debugOutput.getDuration("delay-per-batch"));
  }
}
