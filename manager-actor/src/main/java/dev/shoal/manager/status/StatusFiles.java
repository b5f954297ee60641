package dev.shoal.manager.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.PipelineKind;
import dev.shoal.manager.crd.PipelineStatus;
import dev.shoal.manager.crd.ResourceRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The status of pipelines read from a folder, written beside them: {@code
 * <dir>/.status/<kind-lowercase>-<name>.yaml}, holding the resource's kind, name and generation and
 * its {@code status.conditions}, as {@code kubectl get -o yaml} would show them.
 *
 * <p>A file is written only when its content changes, so its modification time says when the status
 * last changed. A condition keeps its {@code lastTransitionTime} while its status and reason stay
 * the same. The status files of resources that are gone are removed. Blocking I/O.
 */
public final class StatusFiles {

  /** The sub-folder of the pipelines folder that holds the status files. */
  public static final String FOLDER = ".status";

  private static final YAMLMapper YAML = yamlMapper();
  private static final Pattern STATUS_FILE =
      Pattern.compile(
          "("
              + Arrays.stream(PipelineKind.values())
                  .map(PipelineKind::id)
                  .collect(Collectors.joining("|"))
              + ")-.+\\.yaml");

  /**
   * The content of one status file.
   *
   * @param apiVersion {@link PipelineKind#API_VERSION}
   * @param kind e.g. {@code TracePipeline}
   * @param metadata name and generation of the resource
   * @param status its conditions
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"apiVersion", "kind", "metadata", "status"})
  public record StatusDocument(
      String apiVersion, String kind, Metadata metadata, PipelineStatus status) {}

  /** The part of {@code metadata} a status file repeats. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"name", "generation"})
  public record Metadata(String name, Long generation) {}

  /**
   * What one {@link #write} did.
   *
   * @param written resources whose status file was created or changed
   * @param removed status files removed because their resource is gone
   * @param conditions the conditions as the files now hold them (transition times kept)
   */
  public record Outcome(
      List<ResourceRef> written, List<String> removed, Map<ResourceRef, Condition> conditions) {}

  private final Path folder;

  /** Status files of the pipelines in {@code pipelinesDir}. */
  public StatusFiles(Path pipelinesDir) {
    this.folder = pipelinesDir.resolve(FOLDER);
  }

  private static YAMLMapper yamlMapper() {
    YAMLMapper mapper = new YAMLMapper();
    mapper.disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER);
    mapper.enable(YAMLGenerator.Feature.MINIMIZE_QUOTES);
    mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    return mapper;
  }

  /** The file that holds the status of a resource. */
  public Path file(ResourceRef ref) {
    return folder.resolve(ref.kind().id() + "-" + ref.name() + ".yaml");
  }

  /** The status file of a resource as it is now, if there is a readable one. */
  public Optional<StatusDocument> read(ResourceRef ref) {
    try {
      return Optional.of(YAML.readValue(Files.readAllBytes(file(ref)), StatusDocument.class));
    } catch (IOException | RuntimeException missingOrUnreadable) {
      return Optional.empty();
    }
  }

  /**
   * Makes the status files say exactly these conditions (one per resource, with the time of this
   * reconciliation as {@code lastTransitionTime}), and removes the others.
   */
  public Outcome write(Map<ResourceRef, Condition> conditions) throws IOException {
    Files.createDirectories(folder);
    List<ResourceRef> written = new ArrayList<>();
    Map<ResourceRef, Condition> effective = new TreeMap<>();
    Set<String> wanted = new HashSet<>();
    for (Map.Entry<ResourceRef, Condition> entry : conditions.entrySet()) {
      ResourceRef ref = entry.getKey();
      Path file = file(ref);
      wanted.add(file.getFileName().toString());
      byte[] before = readIfExists(file);
      Condition condition = entry.getValue();
      Optional<Condition> previous = previousCondition(before, condition.getType());
      if (previous.isPresent()
          && previous.get().sameState(condition)
          && previous.get().getLastTransitionTime() != null) {
        condition = condition.withLastTransitionTime(previous.get().getLastTransitionTime());
      }
      effective.put(ref, condition);
      StatusDocument document =
          new StatusDocument(
              PipelineKind.API_VERSION,
              ref.kind().kind(),
              new Metadata(ref.name(), condition.getObservedGeneration()),
              new PipelineStatus(List.of(condition)));
      byte[] after = YAML.writeValueAsBytes(document);
      if (before != null && Arrays.equals(before, after)) continue;
      replace(file, after);
      written.add(ref);
    }
    List<String> removed = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (STATUS_FILE.matcher(name).matches() && !wanted.contains(name)) {
          Files.deleteIfExists(file);
          removed.add(name);
        }
      }
    }
    return new Outcome(written, removed, effective);
  }

  private static Optional<Condition> previousCondition(byte[] before, String type) {
    if (before == null) return Optional.empty();
    try {
      StatusDocument document = YAML.readValue(before, StatusDocument.class);
      return document.status() == null ? Optional.empty() : document.status().condition(type);
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  private static byte[] readIfExists(Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Replaces the file in one step, so that a reader never sees half of it. */
  private void replace(Path file, byte[] content) throws IOException {
    Path temporary = Files.createTempFile(folder, ".", ".tmp");
    try {
      Files.write(temporary, content);
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** The status file's text, for logs and tests. */
  public static String render(StatusDocument document) throws IOException {
    return new String(YAML.writeValueAsBytes(document), StandardCharsets.UTF_8);
  }
}
