package dev.shoal.manager;

import dev.shoal.manager.folder.FolderContents;
import dev.shoal.manager.folder.FolderScan;
import dev.shoal.manager.folder.FolderScan.FileContent;
import dev.shoal.manager.folder.FolderSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

/** YAML manifests for tests, parsed as the folder source parses them. */
public final class Manifests {
  private Manifests() {}

  /** Parses the text as one file {@code test.yaml}. */
  public static FolderContents parse(String yaml) {
    TreeMap<String, FileContent> files = new TreeMap<>();
    files.put(
        "test.yaml",
        new FileContent(yaml.getBytes(StandardCharsets.UTF_8), UUID.randomUUID().toString()));
    return FolderSource.parse(
        new FolderScan(Path.of("test"), false, files, List.of(), "test"), FolderContents.EMPTY);
  }

  /** A Secret with the given stringData entries (key, value, key, value, ...). */
  public static String secret(String namespace, String name, String... keysAndValues) {
    StringBuilder yaml =
        new StringBuilder("---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: ")
            .append(name)
            .append("\n  namespace: ")
            .append(namespace)
            .append("\nstringData:\n");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      yaml.append("  ").append(keysAndValues[i]).append(": |-\n");
      for (String line : keysAndValues[i + 1].split("\n")) {
        yaml.append("    ").append(line).append('\n');
      }
    }
    return yaml.toString();
  }

  /**
   * A TracePipeline to an endpoint given as plain value, with extra lines under spec.output.otlp.
   */
  public static String tracePipeline(String name, String endpoint, String... otlpLines) {
    StringBuilder yaml =
        new StringBuilder("---\napiVersion: telemetry.shoal.dev/v1beta1\nkind: TracePipeline\n")
            .append("metadata:\n  name: ")
            .append(name)
            .append("\nspec:\n  output:\n    otlp:\n      endpoint:\n        value: \"")
            .append(endpoint)
            .append("\"\n");
    for (String line : otlpLines) yaml.append("      ").append(line).append('\n');
    return yaml.toString();
  }
}
