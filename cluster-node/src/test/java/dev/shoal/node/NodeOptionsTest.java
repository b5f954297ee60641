package dev.shoal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeOptionsTest {
  @TempDir Path dir;

  @Test
  void defaultsAreTheEmbeddedNode() {
    Config config = NodeOptions.parse().loadConfig();
    assertEquals(4317, config.getInt("shoal.pipeline.receiver.grpc.port"));
    assertEquals(4318, config.getInt("shoal.pipeline.receiver.http.port"));
    assertEquals("shoal-data", config.getString("shoal.node.data-dir"));
    assertEquals("cluster", config.getString("pekko.actor.provider"));
  }

  @Test
  void configFileOverridesAndDrivesDerivedSettings() throws Exception {
    Path file = dir.resolve("node.conf");
    Files.writeString(
        file, "shoal.pipeline.receiver.grpc.port = 14317\nshoal.node.drain-timeout = 7s\n");
    Config config = NodeOptions.parse("--config", file.toString()).loadConfig();
    assertEquals(14317, config.getInt("shoal.pipeline.receiver.grpc.port"));
    // The shutdown phase timeout is derived from the drain timeout after the override.
    assertEquals(
        Duration.ofSeconds(7),
        config.getDuration("pekko.coordinated-shutdown.phases.service-stop.timeout"));
  }

  @Test
  void dataDirOptionWinsOverTheConfigFile() throws Exception {
    Path file = dir.resolve("node.conf");
    Files.writeString(file, "shoal.node.data-dir = /from/file\n");
    Config config =
        NodeOptions.parse("--config=" + file, "--data-dir", "/from/option").loadConfig();
    assertEquals("/from/option", config.getString("shoal.node.data-dir"));
  }

  @Test
  void badCommandLinesSayWhatIsWrong() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> NodeOptions.parse("--config"))
            .getMessage()
            .contains("--config needs a value"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> NodeOptions.parse("--nope"))
            .getMessage()
            .contains("unknown option --nope"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    NodeOptions.parse("--config", dir.resolve("missing.conf").toString())
                        .loadConfig())
            .getMessage()
            .contains("no readable file"));
  }

  @Test
  void pipelinesFolderMustExistAndIsPassedAbsolute() throws Exception {
    Config config = NodeOptions.parse("--pipelines", dir.toString()).loadConfig();
    assertEquals(dir.toAbsolutePath().toString(), config.getString("shoal.node.pipelines-dir"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> NodeOptions.parse("--pipelines", dir.resolve("nope").toString()).loadConfig())
            .getMessage()
            .contains("no folder there"));
    assertEquals("", NodeOptions.parse().loadConfig().getString("shoal.node.pipelines-dir"));
  }

  @Test
  void helpIsRecognised() {
    assertTrue(NodeOptions.parse("--help").help());
  }

  @Test
  void kubeconfigOptionSetsTheSettingAndMustBeReadable() throws Exception {
    Path file = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
    Config config = NodeOptions.parse("--kubeconfig", file.toString()).loadConfig();
    assertEquals(file.toAbsolutePath().toString(), config.getString("shoal.node.kubeconfig"));
    assertEquals("", NodeOptions.parse().loadConfig().getString("shoal.node.kubeconfig"));
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> NodeOptions.parse("--kubeconfig=" + dir.resolve("nope")).loadConfig());
    assertTrue(missing.getMessage().contains("no readable file"), missing.getMessage());
  }
}
