package dev.shoal.node;

import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.stream.PipelineDefaults;
import dev.shoal.pipeline.stream.PipelineSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The embedded default: one pipeline per signal, each writing OTLP JSON lines to {@code
 * <data-dir>/debug/<signal>.jsonl}, so that a newcomer sees data arrive at once.
 */
final class DefaultPipelines {
  private DefaultPipelines() {}

  static List<PipelineSettings> create(PipelineDefaults defaults, Path debugDir) {
    return Arrays.stream(Signal.values())
        .map(s -> defaults.pipeline("default-" + s.id(), s, defaults.debugOutput(debugDir, s.id())))
        .toList();
  }
}
