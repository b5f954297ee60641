package dev.shoal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the node chooses to join: itself, seed nodes, or Cluster Bootstrap; and what it refuses. */
class JoinSettingsTest {
  @TempDir Path dir;

  @Test
  void withNothingConfiguredTheNodeJoinsItself() {
    Config config = NodeOptions.parse().loadConfig();
    JoinSettings join = JoinSettings.fromConfig(config);
    assertEquals(JoinSettings.Way.SELF, join.way());
    assertEquals(List.of(), config.getStringList("pekko.cluster.seed-nodes"));
    assertTrue(join.describe("pekko://shoal@127.0.0.1:25520").contains("joining itself"));
  }

  @Test
  void seedOptionBecomesPekkoSeedNodes() {
    Config config =
        NodeOptions.parse("--seed", "127.0.0.1:25520, shoal-1.shoal-headless:25520,[::1]:2552")
            .loadConfig();
    assertEquals(
        List.of(
            "pekko://shoal@127.0.0.1:25520",
            "pekko://shoal@shoal-1.shoal-headless:25520",
            "pekko://shoal@[::1]:2552"),
        config.getStringList("pekko.cluster.seed-nodes"));
    JoinSettings join = JoinSettings.fromConfig(config);
    assertEquals(JoinSettings.Way.SEED_NODES, join.way());
    assertTrue(join.describe("x").contains("seed nodes [pekko://shoal@127.0.0.1:25520"));
  }

  @Test
  void seedNodesAlsoComeFromTheEnvironmentVariable() {
    // ${?SHOAL_SEED_NODES} finds a root key of that name before the environment.
    Config config =
        ShoalNode.loadConfig(ConfigFactory.parseMap(Map.of("SHOAL_SEED_NODES", "10.0.0.5:25520")));
    assertEquals(
        List.of("pekko://shoal@10.0.0.5:25520"), config.getStringList("pekko.cluster.seed-nodes"));
  }

  @Test
  void badSeedListsNameTheEntryAndTheExpectedForm() {
    for (String bad :
        List.of("shoal-0", "a:1,,b:2", "a:0", "a:70000", "pekko://shoal@a:1", "a:b", " ", "-a:1")) {
      String message =
          assertThrows(IllegalArgumentException.class, () -> NodeOptions.parse("--seed", bad))
              .getMessage();
      assertTrue(message.startsWith("--seed"), message);
      assertTrue(message.contains("expected host:port[,host:port...]"), message);
    }
    String fromEnv =
        assertThrows(
                IllegalArgumentException.class,
                () -> ShoalNode.loadConfig(ConfigFactory.parseMap(Map.of("SHOAL_SEED_NODES", "x"))))
            .getMessage();
    assertTrue(fromEnv.contains("SHOAL_SEED_NODES"), fromEnv);
  }

  @Test
  void kubernetesDiscoveryIsClusterBootstrapWithTheConfiguredSelector() {
    Config config =
        ShoalNode.loadConfig(
            ConfigFactory.parseMap(
                Map.of(
                    "SHOAL_DISCOVERY", "kubernetes-api",
                    "SHOAL_REQUIRED_CONTACT_POINTS", "3",
                    "SHOAL_POD_LABEL_SELECTOR", "app.kubernetes.io/instance=shoal-a")));
    JoinSettings join = JoinSettings.fromConfig(config);
    assertEquals(JoinSettings.Way.BOOTSTRAP, join.way());
    assertEquals(3, join.requiredContactPoints());
    assertEquals("app.kubernetes.io/instance=shoal-a", join.podLabelSelector());
    assertEquals(
        "kubernetes-api",
        config.getString(
            "pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    assertTrue(join.describe("x").contains("kubernetes-api discovery"), join.describe("x"));
  }

  @Test
  void theDefaultSelectorIsTheNameLabelOfTheServiceName() {
    Config config =
        ShoalNode.loadConfig(ConfigFactory.parseMap(Map.of("SHOAL_DISCOVERY", "kubernetes-api")));
    assertEquals(
        "app.kubernetes.io/name=shoal", JoinSettings.fromConfig(config).podLabelSelector());
  }

  @Test
  void kubernetesDiscoveryOutsideAPodIsRefusedWithTheAlternatives() {
    Config config =
        ShoalNode.loadConfig(
            ConfigFactory.parseString(
                "SHOAL_DISCOVERY = kubernetes-api\n"
                    + "pekko.discovery.kubernetes-api.api-ca-path = \""
                    + dir.resolve("missing-ca.crt")
                    + "\""));
    String why = JoinSettings.fromConfig(config).whyNotHere(config);
    assertTrue(why.contains("only inside a Kubernetes pod"), why);
    assertTrue(why.contains("--seed"), why);
  }

  @Test
  void kubernetesDiscoveryInAPodIsAccepted() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "not checked here");
    Config config =
        ShoalNode.loadConfig(
            ConfigFactory.parseString(
                "SHOAL_DISCOVERY = kubernetes-api\n"
                    + "pekko.discovery.kubernetes-api.api-ca-path = \""
                    + ca
                    + "\""));
    assertEquals(null, JoinSettings.fromConfig(config).whyNotHere(config));
  }

  @Test
  void badDiscoverySettingsAreRefused() {
    assertRefused(Map.of("SHOAL_DISCOVERY", "dns"), "expected kubernetes-api");
    assertRefused(
        Map.of("SHOAL_DISCOVERY", "config", "SHOAL_REQUIRED_CONTACT_POINTS", "three"),
        "SHOAL_REQUIRED_CONTACT_POINTS");
    assertRefused(
        Map.of("SHOAL_DISCOVERY", "config", "SHOAL_REQUIRED_CONTACT_POINTS", "0"), "at least 1");
    assertRefused(
        Map.of("SHOAL_DISCOVERY", "config", "SHOAL_SEED_NODES", "10.0.0.5:25520"), "choose one");
  }

  private static void assertRefused(Map<String, String> env, String expected) {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> ShoalNode.loadConfig(ConfigFactory.parseMap(env)))
            .getMessage();
    assertTrue(message.contains(expected), message);
  }
}
