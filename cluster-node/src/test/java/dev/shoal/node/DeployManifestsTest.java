package dev.shoal.node;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
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
 * cluster. Every manifest, the CRDs in {@code deploy/crds} included, must also read into fabric8's
 * typed model without a field the model does not know. {@code DeployOnApiServerIT} then has a real
 * API server accept them.
 */
class DeployManifestsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

  /** Kinds that live in no namespace. */
  private static final Set<String> CLUSTER_SCOPED =
      Set.of("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding");

  private static final Pattern ENV_IN_CONF = Pattern.compile("\\$\\{\\?([A-Z][A-Z0-9_]*)}");
  private static final Pattern ENV_IN_LOGBACK = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-");

  private static Path root;
  private static Path deploy;
  private static JsonNode kustomization;
  private static Map<String, JsonNode> objectsByKindAndName;
  private static JsonNode statefulSet;
  private static JsonNode container;

  @BeforeAll
  static void readManifests() throws IOException {
    // Surefire runs in the module folder; the repository root is its parent.
    root = Path.of("").toAbsolutePath().getParent();
    deploy = root.resolve("deploy");
    assertTrue(Files.isDirectory(deploy), "no deploy/ folder at " + deploy);
    kustomization = YAML.readTree(deploy.resolve("kustomization.yaml").toFile());
    objectsByKindAndName = new TreeMap<>();
    for (String file : resourceFiles()) {
      for (JsonNode object : documents(file)) {
        objectsByKindAndName.put(key(object.path("kind").asText(), name(object)), object);
      }
    }
    statefulSet = object("StatefulSet", "shoal");
    container = onlyContainer(statefulSet);
  }

  @Test
  void kustomizationListsExactlyTheYamlFiles() throws IOException {
    Set<String> listed = new TreeSet<>();
    kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    for (String resource : listed) {
      assertTrue(Files.isRegularFile(deploy.resolve(resource)), "listed but missing: " + resource);
    }
    assertEquals(
        new TreeSet<>(resourceFiles()),
        listed,
        "every YAML file in deploy/ and below is a kustomization resource");
  }

  @Test
  void kustomizationInstallsTheCrdsOfThePipelineKinds() {
    for (String kind : List.of("TracePipeline", "MetricPipeline", "LogPipeline")) {
      String plural = kind.toLowerCase(Locale.ROOT) + "s";
      JsonNode crd = object("CustomResourceDefinition", plural + ".telemetry.shoal.dev");
      assertEquals(kind, crd.path("spec").path("names").path("kind").asText());
    }
  }

  @Test
  void everyManifestReadsIntoTheTypedModelWithNoUnknownField() throws IOException {
    for (String file : resourceFiles()) {
      for (JsonNode document : documents(file)) {
        String what = file + ": " + key(document.path("kind").asText(), name(document));
        HasMetadata object = KUBERNETES.convertValue(document, HasMetadata.class);
        assertTrue(
            !(object instanceof GenericKubernetesResource),
            what
                + " is no kind fabric8's model knows (apiVersion "
                + document.path("apiVersion").asText()
                + ")");
        assertEquals(document.path("kind").asText(), object.getKind(), what);
        List<String> unknown = new ArrayList<>();
        collectUnknownFields(object, "", unknown);
        assertEquals(List.of(), unknown, what + ": fields the typed model does not know");
      }
    }
  }

  @Test
  void argsAreOptionsTheNodeAccepts() {
    List<String> args = texts(container.path("args"));
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
    for (String name : env().keySet()) {
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
    assertEquals(expected, containerPorts(), "container ports by name are the configured defaults");
  }

  @Test
  void replicasBootstrapOneClusterFromTheirOwnPods() {
    // The node's configuration as the container's environment makes it (literal values only;
    // ${?NAME} finds a root key NAME before the process environment).
    Map<String, String> literal = new TreeMap<>(env());
    literal.values().removeIf(v -> v == null);
    Config config = ShoalNode.loadConfig(ConfigFactory.parseMap(literal));
    JoinSettings join = JoinSettings.fromConfig(config);
    assertEquals(JoinSettings.Way.BOOTSTRAP, join.way(), "the replicas join by Cluster Bootstrap");
    assertEquals("kubernetes-api", join.discoveryMethod());
    assertEquals(
        statefulSet.path("spec").path("replicas").asInt(),
        join.requiredContactPoints(),
        "SHOAL_REQUIRED_CONTACT_POINTS is the number of replicas");
    JsonNode podLabels = statefulSet.path("spec").path("template").path("metadata").path("labels");
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
        containerPorts().get(portName),
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
    String drain = env().get("SHOAL_DRAIN_TIMEOUT");
    assertTrue(drain != null, "SHOAL_DRAIN_TIMEOUT is set");
    Duration drainTimeout = ConfigFactory.parseString("d = \"" + drain + "\"").getDuration("d");
    long grace =
        statefulSet
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
  void dockerfileRunsTheShadedJarAndExposesThePorts() throws IOException {
    List<String> lines = Files.readAllLines(deploy.resolve("Dockerfile"));
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
        new TreeSet<>(containerPorts().values()), exposed, "EXPOSE lists the container ports");
  }

  @Test
  void servicesSelectThePodsAndUseThePortNames() {
    JsonNode podLabels = statefulSet.path("spec").path("template").path("metadata").path("labels");
    assertEquals(
        statefulSet.path("spec").path("selector").path("matchLabels"),
        podLabels,
        "the StatefulSet selects its own pods");
    String headlessName = statefulSet.path("spec").path("serviceName").asText();
    JsonNode headless = object("Service", headlessName);
    assertEquals("None", headless.path("spec").path("clusterIP").asText());
    assertTrue(headless.path("spec").path("publishNotReadyAddresses").asBoolean());
    assertService(headless, podLabels, Set.of("remoting", "management"));
    assertService(object("Service", "shoal-otlp"), podLabels, Set.of("grpc-otlp", "http-otlp"));
  }

  @Test
  void podsRunAsTheServiceAccountTheRoleIsBoundTo() {
    String namespace = name(object("Namespace", "shoal"));
    JsonNode podSpec = statefulSet.path("spec").path("template").path("spec");
    String account = podSpec.path("serviceAccountName").asText();
    object("ServiceAccount", account);
    JsonNode binding = object("RoleBinding", "shoal-pod-reader");
    JsonNode subject = binding.path("subjects").path(0);
    assertEquals("ServiceAccount", subject.path("kind").asText());
    assertEquals(account, subject.path("name").asText());
    assertEquals(namespace, subject.path("namespace").asText());
    JsonNode rules = object("Role", binding.path("roleRef").path("name").asText()).path("rules");
    // Least privilege: only what Cluster Bootstrap's Kubernetes API discovery reads.
    assertEquals(1, rules.size(), "one rule");
    assertEquals(List.of("pods"), texts(rules.path(0).path("resources")));
    assertEquals(Set.of("get", "watch", "list"), Set.copyOf(texts(rules.path(0).path("verbs"))));
    for (JsonNode object : objectsByKindAndName.values()) {
      if (CLUSTER_SCOPED.contains(object.path("kind").asText())) {
        assertTrue(object.path("metadata").path("namespace").isMissingNode(), name(object));
        continue;
      }
      assertEquals(namespace, object.path("metadata").path("namespace").asText(), name(object));
    }
  }

  private static void assertProbe(String probe, String path) {
    JsonNode httpGet = container.path(probe).path("httpGet");
    assertEquals(path, httpGet.path("path").asText(), probe);
    String port = httpGet.path("port").asText();
    assertTrue(
        port.equals("management")
            || port.equals(String.valueOf(containerPorts().get("management"))),
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
    Map<String, Integer> containerPorts = containerPorts();
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

  private static Map<String, Integer> containerPorts() {
    Map<String, Integer> ports = new TreeMap<>();
    container
        .path("ports")
        .forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
    return ports;
  }

  private static Map<String, String> env() {
    Map<String, String> env = new TreeMap<>();
    container
        .path("env")
        .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText(null)));
    return env;
  }

  private static String mountPath(String volume) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("name").asText().equals(volume)) return mount.path("mountPath").asText();
    }
    throw new AssertionError("no volume mount " + volume);
  }

  /** The {@code ${?NAME}} overrides of the node's configuration and the logback variables. */
  private static Set<String> envVarsTheNodeReads() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> conf = Files.list(root.resolve("cluster-node/src/main/resources"))) {
      conf.filter(f -> f.toString().endsWith(".conf")).forEach(files::add);
    }
    files.add(root.resolve("pipeline-actors/src/main/resources/reference.conf"));
    files.add(root.resolve("manager-actor/src/main/resources/reference.conf"));
    Set<String> names = new TreeSet<>();
    for (Path file : files) {
      Matcher m = ENV_IN_CONF.matcher(Files.readString(file));
      while (m.find()) names.add(m.group(1));
    }
    Matcher m =
        ENV_IN_LOGBACK.matcher(
            Files.readString(root.resolve("cluster-node/src/main/resources/logback.xml")));
    while (m.find()) names.add(m.group(1));
    return names;
  }

  private static String shadeFinalName() throws IOException {
    Matcher m =
        Pattern.compile("<finalName>([^<]+)</finalName>")
            .matcher(Files.readString(root.resolve("cluster-node/pom.xml")));
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

  /** The YAML files of deploy/ and below, but kustomization.yaml, relative to deploy/. */
  private static List<String> resourceFiles() throws IOException {
    try (Stream<Path> files = Files.walk(deploy)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .map(f -> deploy.relativize(f).toString().replace('\\', '/'))
          .filter(f -> !f.equals("kustomization.yaml"))
          .sorted()
          .toList();
    }
  }

  private static List<JsonNode> documents(String file) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    for (JsonNode document :
        YAML.readerFor(JsonNode.class)
            .<JsonNode>readValues(deploy.resolve(file).toFile())
            .readAll()) {
      if (document != null && !document.isEmpty()) documents.add(document);
    }
    return documents;
  }

  /**
   * Fields that fabric8's typed model does not know land in its {@code additionalProperties}: a
   * misspelled field, or one of a newer API than the model's. An API server drops such fields of
   * built-in kinds without a word, so they are caught here.
   */
  private static void collectUnknownFields(Object value, String path, List<String> unknown) {
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) collectUnknownFields(item, path + "[" + i++ + "]", unknown);
      return;
    }
    if (value instanceof Map<?, ?> entries) {
      entries.forEach((k, v) -> collectUnknownFields(v, path + "." + k, unknown));
      return;
    }
    if (value == null
        || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")) continue;
      Class<?> type = getter.getReturnType();
      boolean model = type.getName().startsWith("io.fabric8.kubernetes.api.model");
      if (!model && !Collection.class.isAssignableFrom(type) && !Map.class.isAssignableFrom(type)) {
        continue;
      }
      Object child;
      try {
        child = getter.invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new AssertionError(path + ": " + getter, e);
      }
      // (JSONSchemaProps has a getAdditionalProperties of its own: the schema keyword.)
      if (getter.getName().equals("getAdditionalProperties") && child instanceof Map<?, ?> extra) {
        extra.keySet().forEach(k -> unknown.add(path + "." + k));
      } else {
        String field = getter.getName().substring(3);
        collectUnknownFields(
            child,
            path + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1),
            unknown);
      }
    }
  }

  private static JsonNode onlyContainer(JsonNode workload) {
    JsonNode containers = workload.path("spec").path("template").path("spec").path("containers");
    assertEquals(1, containers.size(), "one container");
    return containers.get(0);
  }

  private static JsonNode object(String kind, String name) {
    JsonNode object = objectsByKindAndName.get(key(kind, name));
    assertTrue(
        object != null,
        "no " + kind + " " + name + " in deploy/; found " + objectsByKindAndName.keySet());
    return object;
  }

  private static String key(String kind, String name) {
    return kind + "/" + name;
  }

  private static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(v -> texts.add(v.asText()));
    return texts;
  }
}
