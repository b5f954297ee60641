package dev.shoal.pipeline.output;

import dev.shoal.pipeline.output.otlp.OtlpExporters;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/** Creates the exporter an output's settings describe. */
public final class Exporters {
  private Exporters() {}

  public static Exporter create(OutputSettings settings, ActorSystem<?> system) {
    if (settings instanceof DebugOutputSettings debug) {
      return new DebugFileExporter(
          debug, system.dispatchers().lookup(DispatcherSelector.blocking()));
    }
    if (settings instanceof OtlpOutputSettings otlp) return OtlpExporters.create(otlp, system);
    throw new IllegalArgumentException("no exporter for " + settings);
  }
}
