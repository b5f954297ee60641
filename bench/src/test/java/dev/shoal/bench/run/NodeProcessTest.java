package dev.shoal.bench.run;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node that cannot run makes the benchmark fail at once, saying why. */
class NodeProcessTest {
  @TempDir Path dir;

  @Test
  void aNodeWithoutThePipelinesOptionIsExplained() throws Exception {
    NodeProcess node =
        NodeProcess.start(
            List.of("sh", "-c", "echo 'shoal: unknown option --pipelines'; exit 2"),
            Map.of(),
            dir,
            dir.resolve("node.log"));
    var failure =
        assertThrows(
            NodeProcess.NodeFailedException.class, () -> node.awaitReady(Duration.ofSeconds(20)));
    assertTrue(failure.getMessage().contains("exited with status 2 before it was ready"));
    assertTrue(failure.getMessage().contains("unknown option --pipelines"));
    assertTrue(failure.getMessage().contains("does not take --pipelines DIR yet"));
  }

  @Test
  void aReadyNodeIsRecognisedAndStopped() throws Exception {
    try (NodeProcess node =
        NodeProcess.start(
            List.of("sh", "-c", "echo 'INFO Shoal node ready: OTLP/gRPC on ...'; exec sleep 30"),
            Map.of(),
            dir,
            dir.resolve("node.log"))) {
      node.awaitReady(Duration.ofSeconds(20));
      node.checkAlive("while under load");
      node.stop(Duration.ofSeconds(5));
      assertThrows(NodeProcess.NodeFailedException.class, () -> node.checkAlive("after stop"));
    }
  }

  @Test
  void aMissingNodeJarIsNamed() {
    var failure =
        assertThrows(
            IllegalArgumentException.class,
            () -> BenchmarkRunner.javaJar(dir.resolve("no-such.jar"), List.of("-Xmx1g")));
    assertTrue(failure.getMessage().contains("no node jar at"));
  }
}
