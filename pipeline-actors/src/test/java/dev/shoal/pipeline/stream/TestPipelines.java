package dev.shoal.pipeline.stream;

import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.stream.BatchStage.BatchSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Pipeline streams a test starts, each with a {@link RecordingExporter}. {@link #drainAll} lets
 * every export complete and drains what is still running, so no stream outlives its test.
 */
public final class TestPipelines {
  private final ActorSystem<?> system;
  private final List<RunningPipeline> pipelines = new ArrayList<>();
  private final List<RecordingExporter> exporters = new ArrayList<>();

  public TestPipelines(ActorSystem<?> system) {
    this.system = system;
  }

  /** Starts a pipeline with one export in flight at most. */
  public RunningPipeline start(
      String name,
      Signal signal,
      long queueBytes,
      BatchSettings batch,
      RecordingExporter exporter) {
    return start(name, signal, queueBytes, batch, Overflow.DROP, InputSelector.ALL, exporter);
  }

  /** Starts a pipeline with the given overflow policy and input selection. */
  public RunningPipeline start(
      String name,
      Signal signal,
      long queueBytes,
      BatchSettings batch,
      Overflow overflow,
      InputSelector input,
      RecordingExporter exporter) {
    PipelineSettings settings =
        new PipelineSettings(
            name, signal, queueBytes, batch, 1, overflow, input, RecordingExporter.UNUSED_OUTPUT);
    RunningPipeline pipeline =
        PipelineStream.start(settings, exporter, new PipelineCounters(), system);
    pipelines.add(pipeline);
    exporters.add(exporter);
    return pipeline;
  }

  public void drainAll() throws Exception {
    exporters.forEach(RecordingExporter::completeEverything);
    List<CompletableFuture<?>> done = new ArrayList<>();
    for (RunningPipeline p : pipelines) {
      CompletableFuture<?> stopped = p.done().toCompletableFuture();
      if (!stopped.isDone()) {
        try {
          p.drain();
        } catch (IllegalStateException alreadyDraining) {
          // the test drained it and failed before it stopped; wait for it all the same
        }
      }
      done.add(stopped);
    }
    CompletableFuture.allOf(done.toArray(CompletableFuture<?>[]::new)).get(5, TimeUnit.SECONDS);
  }
}
