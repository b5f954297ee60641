package dev.shoal.pipeline.stream;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * A materialised pipeline: its queue (the entrance) and the completion of its stream.
 *
 * @param settings what it was started from
 * @param queue where receivers offer requests
 * @param done completes when the stream has exported everything and stopped
 */
public record RunningPipeline(
    PipelineSettings settings, PipelineQueue queue, CompletionStage<Done> done) {

  public String name() {
    return settings.name();
  }

  /** Stops taking requests and lets the stream export what it holds; returns {@link #done}. */
  public CompletionStage<Done> drain() {
    queue.close();
    return done;
  }
}
