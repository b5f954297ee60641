package dev.shoal.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The pipelines folder the node reads with {@code --pipelines DIR}: one TracePipeline. */
final class PipelineFolder {
  private PipelineFolder() {}

  /** Writes {@code bench.yaml} into {@code dir}: traces go to the sink over OTLP/gRPC. */
  static Path write(Path dir, int sinkGrpcPort) throws IOException {
    Files.createDirectories(dir);
    String yaml =
        String.join(
            "\n",
            "apiVersion: telemetry.shoal.dev/v1beta1",
            "kind: TracePipeline",
            "metadata:",
            "  name: bench",
            "spec:",
            "  output:",
            "    otlp:",
            "      protocol: grpc",
            "      endpoint:",
            "        value: http://127.0.0.1:" + sinkGrpcPort,
            "");
    return Files.writeString(dir.resolve("bench.yaml"), yaml, StandardCharsets.UTF_8);
  }
}
