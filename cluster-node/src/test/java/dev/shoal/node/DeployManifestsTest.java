package dev.shoal.node;

import static dev.shoal.node.DeployFolder.name;
import static dev.shoal.node.DeployFolder.texts;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks that the Kubernetes manifests and the Dockerfile in {@code deploy/} agree with what the
 * node accepts: its options, the environment its configuration reads, its default ports, its health
 * routes and the jar the build produces. A rename on either side fails here rather than in a
 * cluster. {@link DeployFolderTest} checks that the folder itself is complete and well formed.
 */
class DeployManifestsTest {
  private static final Pattern ENV_IN_CONF = Pattern.compile("\\$\\{\\?([A-Z][A-Z0-9_]*)}");
  private static final Pattern ENV_IN_LOGBACK = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-");

  private static DeployFolder folder;

  @BeforeAll
  static void readManifests() throws IOException {
    folder = DeployFolder.read();
  }

  @Test
  void argsAreOptionsTheNodeAccepts() {
    List<String> args = texts(folder.container.path("args"));
    NodeOptions options = assertDoesNotThrow(() -> NodeOptions.parse(args.toArray(String[]::new)));
    assertEquals(
        mountPath("data"),
        options.dataDir().map(Path::toString).orElseThrow(),
        "--data-dir is the data volume's mount");
  }

  @Test
  void everyEnvVarIsOneTheNodeReads() throws IOException {
    Set<String> read = envVarsTheNodeReads();
    assertTrue(read.contains("SHOAL_CLUSTER_HOST"), "the scan finds the node's variables: " + read);
    for (String name : folder.env().keySet()) {
      if (name.equals("JAVA_TOOL_OPTIONS")) continue;
      assertTrue(read.contains(name), name + " is read by no configuration file; read: " + read);
    }
  }

  @Test
  void containerPortsAreTheNodeDefaults() {
    Config config = NodeOptions.parse().loadConfig();
    Map<String, Integer> expected =
        Map.of(
            "grpc-otlp", config.getInt("shoal.pipeline.receiver.grpc.port"),
            "http-otlp", config.getInt("shoal.pipeline.receiver.http.port"),
            "management", config.getInt("pekko.management.http.port"),
            "remoting", config.getInt("pekko.remote.artery.canonical.port"));
    assertEquals(
        expected, folder.containerPorts(), "container ports by name are the configured defaults");
  }

  @Test
  void replicasBootstrapOneClusterFromTheirOwnPods() {
    // The node's configuration as the container's environment makes it (literal values only;
    // ${?NAME} finds a root key NAME before the process environment).
    Map<String, String> literal = new TreeMap<>(folder.env());
    literal.values().removeIf(v -> v == null);
    Config config = ShoalNode.loadConfig(ConfigFactory.parseMap(literal));
    JoinSettings join = JoinSettings.fromConfig(config);
    assertEquals(JoinSettings.Way.BOOTSTRAP, join.way(), "the replicas join by Cluster Bootstrap");
    assertEquals("kubernetes-api", join.discoveryMethod());
    assertEquals(
        folder.statefulSet.path("spec").path("replicas").asInt(),
        join.requiredContactPoints(),
        "SHOAL_REQUIRED_CONTACT_POINTS is the number of replicas");
    JsonNode podLabels =
        folder.statefulSet.path("spec").path("template").path("metadata").path("labels");
    for (String requirement : join.podLabelSelector().split(",")) {
      String[] keyValue = requirement.trim().split("=", 2);
      assertEquals(2, keyValue.length, "label selector of key=value terms: " + requirement);
      assertEquals(
          keyValue[1],
          podLabels.path(keyValue[0]).asText(null),
          "the bootstrap label selector selects the StatefulSet's pods: " + requirement);
    }
    String portName =
        config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.port-name");
    assertEquals(
        config.getInt("pekko.management.http.port"),
        folder.containerPorts().get(portName),
        "bootstrap probes the container port named " + portName + ", the management port");
  }

  @Test
  void probesUseTheManagementHealthRoutes() {
    assertProbe("readinessProbe", "/ready");
    assertProbe("livenessProbe", "/alive");
    assertProbe("startupProbe", "/alive");
  }

  @Test
  void gracePeriodExceedsTheDrainTimeout() {
    String drain = folder.env().get("SHOAL_DRAIN_TIMEOUT");
    assertTrue(drain != null, "SHOAL_DRAIN_TIMEOUT is set");
    Duration drainTimeout = ConfigFactory.parseString("d = \"" + drain + "\"").getDuration("d");
    long grace =
        folder
            .statefulSet
            .path("spec")
            .path("template")
            .path("spec")
            .path("terminationGracePeriodSeconds")
            .asLong(30);
    assertTrue(
        Duration.ofSeconds(grace).compareTo(drainTimeout) > 0,
        "terminationGracePeriodSeconds " + grace + " must exceed the drain timeout " + drain);
  }

  @Test
  void durableQueuesAreOnAndLiveOnTheDataVolume() {
    assertEquals("true", folder.env().get("SHOAL_DURABLE_QUEUE"), "durable queues on");
    List<String> args = texts(folder.container.path("args"));
    int at = args.indexOf("--data-dir");
    assertTrue(at >= 0 && at + 1 < args.size(), "the node is given --data-dir: " + args);
    String dataDir = args.get(at + 1);
    boolean onVolume = false;
    for (JsonNode mount : folder.container.path("volumeMounts")) {
      onVolume |=
          mount.path("name").asText().equals("data")
              && mount.path("mountPath").asText().equals(dataDir);
    }
    assertTrue(onVolume, "--data-dir " + dataDir + " is where the data volume is mounted");
    Config config = NodeOptions.parse("--data-dir", dataDir).loadConfig();
    assertEquals(
        dataDir + "/queue",
        config.getString("shoal.pipeline.durable-queue.dir"),
        "the queues live in the data folder");
  }

  @Test
  void dockerfileRunsTheShadedJarAndExposesThePorts() throws IOException {
    List<String> lines = Files.readAllLines(folder.deploy.resolve("Dockerfile"));
    String entrypoint = instruction(lines, "ENTRYPOINT");
    List<String> command = texts(new ObjectMapper().readTree(entrypoint));
    assertEquals("java", command.get(0));
    int jar = command.indexOf("-jar");
    assertTrue(jar > 0 && jar + 1 < command.size(), "ENTRYPOINT runs a jar: " + command);
    String jarPath = command.get(jar + 1);
    String finalName = shadeFinalName();
    assertEquals(finalName + ".jar", Path.of(jarPath).getFileName().toString());
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.matches(
                        "COPY\\s+\\S*/"
                            + Pattern.quote(finalName)
                            + "\\.jar\\s+"
                            + Pattern.quote(jarPath)
                            + "\\s*")),
        "the Dockerfile copies the built jar to " + jarPath);

    Set<Integer> exposed =
        Stream.of(instruction(lines, "EXPOSE").split("\\s+"))
            .map(p -> Integer.parseInt(p.replace("/tcp", "")))
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(
        new TreeSet<>(folder.containerPorts().values()),
        exposed,
        "EXPOSE lists the container ports");
  }

  @Test
  void servicesSelectThePodsAndUseThePortNames() {
    JsonNode podLabels =
        folder.statefulSet.path("spec").path("template").path("metadata").path("labels");
    assertEquals(
        folder.statefulSet.path("spec").path("selector").path("matchLabels"),
        podLabels,
        "the StatefulSet selects its own pods");
    String headlessName = folder.statefulSet.path("spec").path("serviceName").asText();
    JsonNode headless = folder.object("Service", headlessName);
    assertEquals("None", headless.path("spec").path("clusterIP").asText());
    assertTrue(headless.path("spec").path("publishNotReadyAddresses").asBoolean());
    assertService(headless, podLabels, Set.of("remoting", "management"));
    assertService(
        folder.object("Service", "shoal-otlp"), podLabels, Set.of("grpc-otlp", "http-otlp"));
  }

  private static void assertProbe(String probe, String path) {
    JsonNode httpGet = folder.container.path(probe).path("httpGet");
    assertEquals(path, httpGet.path("path").asText(), probe);
    String port = httpGet.path("port").asText();
    assertTrue(
        port.equals("management")
            || port.equals(String.valueOf(folder.containerPorts().get("management"))),
        probe + " uses the management port, not " + port);
  }

  private static void assertService(JsonNode service, JsonNode podLabels, Set<String> ports) {
    String name = name(service);
    JsonNode selector = service.path("spec").path("selector");
    assertTrue(selector.size() > 0, name + " has a selector");
    selector
        .fields()
        .forEachRemaining(
            e ->
                assertEquals(
                    podLabels.path(e.getKey()), e.getValue(), name + " selects the pod labels"));
    Map<String, Integer> containerPorts = folder.containerPorts();
    Set<String> names = new TreeSet<>();
    for (JsonNode port : service.path("spec").path("ports")) {
      String portName = port.path("name").asText();
      names.add(portName);
      assertTrue(containerPorts.containsKey(portName), name + ": no container port " + portName);
      JsonNode target = port.path("targetPort");
      assertTrue(
          target.asText().equals(portName) || target.asInt() == containerPorts.get(portName),
          name + " port " + portName + " targets the container port of that name");
    }
    assertEquals(new TreeSet<>(ports), names, name + " ports");
  }

  private static String mountPath(String volume) {
    for (JsonNode mount : folder.container.path("volumeMounts")) {
      if (mount.path("name").asText().equals(volume)) return mount.path("mountPath").asText();
    }
    throw new AssertionError("no volume mount " + volume);
  }

  /** The {@code ${?NAME}} overrides of the node's configuration and the logback variables. */
  private static Set<String> envVarsTheNodeReads() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> conf = Files.list(folder.root.resolve("cluster-node/src/main/resources"))) {
      conf.filter(f -> f.toString().endsWith(".conf")).forEach(files::add);
    }
    files.add(folder.root.resolve("pipeline-actors/src/main/resources/reference.conf"));
    files.add(folder.root.resolve("manager-actor/src/main/resources/reference.conf"));
    Set<String> names = new TreeSet<>();
    for (Path file : files) {
      Matcher m = ENV_IN_CONF.matcher(Files.readString(file));
      while (m.find()) names.add(m.group(1));
    }
    Matcher m =
        ENV_IN_LOGBACK.matcher(
            Files.readString(folder.root.resolve("cluster-node/src/main/resources/logback.xml")));
    while (m.find()) names.add(m.group(1));
    return names;
  }

  private static String shadeFinalName() throws IOException {
    Matcher m =
        Pattern.compile("<finalName>([^<]+)</finalName>")
            .matcher(Files.readString(folder.root.resolve("cluster-node/pom.xml")));
    assertTrue(m.find(), "cluster-node/pom.xml names the shaded jar");
    return m.group(1).trim();
  }

  private static String instruction(List<String> dockerfile, String keyword) {
    List<String> found =
        dockerfile.stream()
            .map(String::trim)
            .filter(l -> l.startsWith(keyword + " "))
            .map(l -> l.substring(keyword.length()).trim())
            .toList();
    assertEquals(1, found.size(), "one " + keyword + " in the Dockerfile");
    return found.get(0);
  }
}
