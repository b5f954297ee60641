package dev.shoal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The {@code deploy/} folder of the repository as tests read it: its kustomization, every object of
 * its YAML files by kind and name, and the node's StatefulSet and container.
 */
final class DeployFolder {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The repository's root. */
  final Path root;

  /** Its {@code deploy/} folder. */
  final Path deploy;

  final JsonNode kustomization;
  final Map<String, JsonNode> objectsByKindAndName = new TreeMap<>();
  final JsonNode statefulSet;
  final JsonNode container;

  private DeployFolder() throws IOException {
    // Surefire runs in the module folder; the repository root is its parent.
    root = Path.of("").toAbsolutePath().getParent();
    deploy = root.resolve("deploy");
    assertTrue(Files.isDirectory(deploy), "no deploy/ folder at " + deploy);
    kustomization = YAML.readTree(deploy.resolve("kustomization.yaml").toFile());
    for (String file : resourceFiles()) {
      for (JsonNode object : documents(file)) {
        objectsByKindAndName.put(key(object.path("kind").asText(), name(object)), object);
      }
    }
    statefulSet = object("StatefulSet", "shoal");
    JsonNode containers = statefulSet.path("spec").path("template").path("spec").path("containers");
    assertEquals(1, containers.size(), "one container");
    container = containers.get(0);
  }

  static DeployFolder read() throws IOException {
    return new DeployFolder();
  }

  /** The YAML files of deploy/ and below, but kustomization.yaml, relative to deploy/. */
  List<String> resourceFiles() throws IOException {
    try (Stream<Path> files = Files.walk(deploy)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .map(f -> deploy.relativize(f).toString().replace('\\', '/'))
          .filter(f -> !f.equals("kustomization.yaml"))
          .sorted()
          .toList();
    }
  }

  /** The non-empty YAML documents of a file of deploy/. */
  List<JsonNode> documents(String file) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    for (JsonNode document :
        YAML.readerFor(JsonNode.class)
            .<JsonNode>readValues(deploy.resolve(file).toFile())
            .readAll()) {
      if (document != null && !document.isEmpty()) documents.add(document);
    }
    return documents;
  }

  /** The object of that kind and name; fails the test when deploy/ has none. */
  JsonNode object(String kind, String name) {
    JsonNode object = objectsByKindAndName.get(key(kind, name));
    assertTrue(
        object != null,
        "no " + kind + " " + name + " in deploy/; found " + objectsByKindAndName.keySet());
    return object;
  }

  /** The container's ports by name. */
  Map<String, Integer> containerPorts() {
    Map<String, Integer> ports = new TreeMap<>();
    container
        .path("ports")
        .forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
    return ports;
  }

  /** The container's environment: literal values, null for those taken from elsewhere. */
  Map<String, String> env() {
    Map<String, String> env = new TreeMap<>();
    container
        .path("env")
        .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText(null)));
    return env;
  }

  static String key(String kind, String name) {
    return kind + "/" + name;
  }

  static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(v -> texts.add(v.asText()));
    return texts;
  }
}
