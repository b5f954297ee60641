package dev.shoal.pipeline.output.otlp;

import dev.shoal.pipeline.output.Exporter;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import org.apache.pekko.actor.typed.ActorSystem;

/** Creates the exporter of an OTLP output: one attempt per protocol, retried as configured. */
public final class OtlpExporters {
  private OtlpExporters() {}

  /**
   * @throws IllegalArgumentException when the endpoint or the TLS material cannot be used; the
   *     message names the field
   */
  public static Exporter create(OtlpOutputSettings settings, ActorSystem<?> system) {
    Exporter attempt =
        switch (settings.protocol()) {
          case GRPC -> new OtlpGrpcExporter(settings, system);
          case HTTP -> new OtlpHttpExporter(settings, system);
        };
    return RetryingExporter.create(attempt, settings.retry(), system, settings.toString());
  }
}
