package dev.shoal.manager.folder;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.shoal.manager.crd.PipelineKind;
import dev.shoal.manager.crd.PipelineResource;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.folder.FolderContents.ParsedFile;
import dev.shoal.manager.folder.FolderScan.FileContent;
import dev.shoal.manager.reconcile.ResourceSnapshot;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads pipeline resources and Secrets from the YAML files of one folder: every {@code *.yaml} and
 * {@code *.yml} directly in it (not in sub-folders, not hidden files), each with any number of
 * documents. Reading ({@link #scan()}) is blocking I/O; parsing ({@link #parse}) is pure.
 *
 * <p>Pipeline resources are read strictly: an unknown field or a value of the wrong type does not
 * drop the resource silently but becomes a schema problem that its status reports. A file that is
 * not valid YAML keeps the documents of its last version that was, so a half-saved edit never stops
 * running pipelines.
 */
public final class FolderSource {

  private static final YAMLMapper YAML = yamlMapper();
  private static final KubernetesSerialization KUBERNETES = kubernetesSerialization();
  private static final Pattern NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final Path dir;
  private final long maxFileBytes;

  public FolderSource(Path dir, long maxFileBytes) {
    this.dir = dir;
    this.maxFileBytes = maxFileBytes;
  }

  public Path dir() {
    return dir;
  }

  private static YAMLMapper yamlMapper() {
    YAMLMapper mapper = new YAMLMapper();
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return mapper;
  }

  private static KubernetesSerialization kubernetesSerialization() {
    // No class-path scan for resource classes (slow); the few kinds read here are registered, as
    // unregistered kinds would come back as GenericKubernetesResource.
    KubernetesSerialization serialization = new KubernetesSerialization(new ObjectMapper(), false);
    for (PipelineKind kind : PipelineKind.values()) {
      serialization.registerKubernetesResource(kind.newResource().getClass());
    }
    return serialization;
  }

  /** Reads the folder's YAML files. Blocking. */
  public FolderScan scan() {
    SortedMap<String, FileContent> files = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return new FolderScan(dir, true, files, problems, "missing");
    }
    List<Path> candidates;
    try (Stream<Path> listing = Files.list(dir)) {
      candidates = listing.filter(FolderSource::isYamlFile).sorted().toList();
    } catch (IOException e) {
      problems.add("cannot list the folder: " + e);
      return new FolderScan(dir, false, files, problems, fingerprint(files, problems));
    }
    for (Path file : candidates) {
      String name = file.getFileName().toString();
      try {
        if (!Files.isRegularFile(file)) continue;
        long size = Files.size(file);
        if (size > maxFileBytes) {
          problems.add(
              name
                  + ": "
                  + size
                  + " bytes, more than shoal.manager.folder.max-file-bytes ("
                  + maxFileBytes
                  + "); skipped");
          continue;
        }
        byte[] bytes = Files.readAllBytes(file);
        files.put(name, new FileContent(bytes, sha256(bytes)));
      } catch (NoSuchFileException deletedMeanwhile) {
        // gone between listing and reading: the next scan sees the folder without it
      } catch (IOException e) {
        problems.add(name + ": cannot be read (" + e + "); skipped");
      }
    }
    return new FolderScan(dir, false, files, problems, fingerprint(files, problems));
  }

  private static boolean isYamlFile(Path path) {
    String name = path.getFileName().toString();
    return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  /**
   * Parses a scan. Files unchanged since {@code previous} are not parsed again; a file that fails
   * to parse keeps its documents from {@code previous}.
   */
  public static FolderContents parse(FolderScan scan, FolderContents previous) {
    SortedMap<String, ParsedFile> files = new TreeMap<>();
    List<String> warnings = new ArrayList<>();
    if (scan.missing()) {
      warnings.add(
          "the pipelines folder " + scan.dir() + " does not exist; no pipelines run until it does");
    }
    scan.files()
        .forEach(
            (name, content) -> {
              ParsedFile before = previous.files().get(name);
              if (before != null && before.sha256().equals(content.sha256())) {
                files.put(name, before);
              } else {
                files.put(name, parseFile(name, content, before, warnings));
              }
            });
    return new FolderContents(files, merge(files, warnings), warnings);
  }

  private static ParsedFile parseFile(
      String name, FileContent content, ParsedFile before, List<String> warnings) {
    List<JsonNode> documents;
    try (MappingIterator<JsonNode> it =
        YAML.readerFor(JsonNode.class).readValues(content.bytes())) {
      documents = it.readAll();
    } catch (IOException | RuntimeException e) {
      String problem =
          e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
      String location = location(e);
      if (before != null) {
        warnings.add(
            name
                + ": not valid YAML"
                + location
                + ": "
                + oneLine(problem)
                + "; keeping its previous content until it is fixed");
        return new ParsedFile(
            content.sha256(), true, before.pipelines(), before.schemaProblems(), before.secrets());
      }
      warnings.add(
          name
              + ": not valid YAML"
              + location
              + ": "
              + oneLine(problem)
              + "; nothing in it is read");
      return new ParsedFile(content.sha256(), true, List.of(), Map.of(), List.of());
    }
    List<PipelineResource> pipelines = new ArrayList<>();
    Map<ResourceRef, String> schemaProblems = new LinkedHashMap<>();
    List<Secret> secrets = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      JsonNode document = documents.get(i);
      String where = name + " document " + (i + 1);
      if (document == null || document.isNull() || document.isMissingNode()) continue;
      if (!document.isObject()) {
        warnings.add(where + ": not a YAML mapping; skipped");
        continue;
      }
      if (document.isEmpty()) continue;
      String kind = document.path("kind").asText("");
      String apiVersion = document.path("apiVersion").asText("");
      String resourceName = document.path("metadata").path("name").asText("");
      Optional<PipelineKind> pipelineKind = PipelineKind.fromKind(kind);
      if (kind.equals("Secret") && apiVersion.equals("v1")) {
        if (!validName(resourceName, where + " (Secret)", warnings)) continue;
        try {
          Secret secret = KUBERNETES.convertValue(document, Secret.class);
          if (secret.getMetadata().getNamespace() == null) {
            secret.getMetadata().setNamespace("default");
          }
          secrets.add(secret);
        } catch (IllegalArgumentException e) {
          warnings.add(where + " (Secret " + resourceName + "): " + schemaProblem(e) + "; skipped");
        }
      } else if (pipelineKind.isPresent()) {
        PipelineKind k = pipelineKind.get();
        if (!apiVersion.equals(PipelineKind.API_VERSION)) {
          warnings.add(
              where
                  + " ("
                  + kind
                  + " "
                  + resourceName
                  + "): apiVersion '"
                  + apiVersion
                  + "' is not read; use apiVersion: "
                  + PipelineKind.API_VERSION);
          continue;
        }
        if (!validName(resourceName, where + " (" + kind + ")", warnings)) continue;
        PipelineResource resource;
        try {
          resource = KUBERNETES.convertValue(document, k.newResource().getClass());
        } catch (IllegalArgumentException e) {
          resource = k.newResource();
          resource.setMetadata(metadata(document.path("metadata"), resourceName));
          schemaProblems.put(resource.ref(), schemaProblem(e));
        }
        pipelines.add(resource);
      } else {
        warnings.add(
            where
                + ": kind '"
                + kind
                + "' (apiVersion '"
                + apiVersion
                + "') is not read; the folder takes TracePipeline, MetricPipeline and LogPipeline ("
                + PipelineKind.API_VERSION
                + ") and Secret (v1)");
      }
    }
    return new ParsedFile(content.sha256(), false, pipelines, schemaProblems, secrets);
  }

  private static boolean validName(String name, String where, List<String> warnings) {
    if (name.isEmpty()) {
      warnings.add(where + ": metadata.name is missing; skipped");
      return false;
    }
    if (name.length() > 253 || !NAME.matcher(name).matches()) {
      warnings.add(
          where
              + ": metadata.name '"
              + name
              + "' is not a Kubernetes name (lower case letters, digits, - and .); skipped");
      return false;
    }
    return true;
  }

  private static ObjectMeta metadata(JsonNode node, String name) {
    try {
      return KUBERNETES.convertValue(node, ObjectMeta.class);
    } catch (IllegalArgumentException e) {
      ObjectMeta meta = new ObjectMeta();
      meta.setName(name);
      return meta;
    }
  }

  /** All files together; a pipeline defined in two files is a schema problem of that pipeline. */
  private static ResourceSnapshot merge(Map<String, ParsedFile> files, List<String> warnings) {
    Map<ResourceRef, PipelineResource> pipelines = new LinkedHashMap<>();
    Map<ResourceRef, String> origin = new LinkedHashMap<>();
    Map<ResourceRef, String> schemaProblems = new LinkedHashMap<>();
    Map<String, Secret> secrets = new LinkedHashMap<>();
    Map<String, String> secretOrigin = new LinkedHashMap<>();
    files.forEach(
        (fileName, file) -> {
          for (PipelineResource pipeline : file.pipelines()) {
            ResourceRef ref = pipeline.ref();
            String first = origin.putIfAbsent(ref, fileName);
            if (first == null) {
              pipelines.put(ref, pipeline);
              String problem = file.schemaProblems().get(ref);
              if (problem != null) schemaProblems.put(ref, problem);
            } else {
              schemaProblems.put(
                  ref,
                  ref.kind().kind()
                      + " "
                      + ref.name()
                      + " is defined more than once ("
                      + first
                      + (first.equals(fileName) ? " twice" : " and " + fileName)
                      + "); keep one definition");
            }
          }
          for (Secret secret : file.secrets()) {
            String id = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
            String first = secretOrigin.putIfAbsent(id, fileName);
            if (first != null) {
              warnings.add(
                  "Secret "
                      + id
                      + " is defined in "
                      + first
                      + " and again in "
                      + fileName
                      + "; the later one is used");
            }
            secrets.put(id, secret);
          }
        });
    return new ResourceSnapshot(
        List.copyOf(pipelines.values()), List.copyOf(secrets.values()), schemaProblems);
  }

  /** A mapping failure as "field.path: what is wrong", without Java class names. */
  static String schemaProblem(IllegalArgumentException e) {
    Throwable cause = e.getCause() instanceof JsonMappingException ? e.getCause() : e;
    if (!(cause instanceof JsonMappingException mapping)) return oneLine(e.getMessage());
    String path = path(mapping.getPath());
    if (mapping instanceof UnrecognizedPropertyException unknown) {
      Collection<Object> known = unknown.getKnownPropertyIds();
      return path
          + ": unknown field"
          + (known == null || known.isEmpty()
              ? ""
              : "; the fields here are "
                  + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
    }
    if (mapping instanceof InvalidFormatException format) {
      return path + ": '" + format.getValue() + "' is not " + expected(format.getTargetType());
    }
    if (mapping instanceof MismatchedInputException mismatch) {
      return path + ": expected " + expected(mismatch.getTargetType());
    }
    return path + ": " + oneLine(mapping.getOriginalMessage());
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : references) {
      if (reference.getFieldName() != null) {
        if (path.length() > 0) path.append('.');
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "(document)" : path.toString();
  }

  private static String expected(Class<?> type) {
    if (type == null) return "a different kind of value";
    if (type == String.class) return "a string";
    if (type == Boolean.class || type == boolean.class) return "true or false";
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) return "a number";
    if (Collection.class.isAssignableFrom(type)) return "a list";
    if (type == Quantity.class) return "a quantity like 64Mi";
    return "a mapping (field: value)";
  }

  private static String location(Exception e) {
    if (e instanceof JsonProcessingException j && j.getLocation() != null) {
      return " at line "
          + j.getLocation().getLineNr()
          + ", column "
          + j.getLocation().getColumnNr();
    }
    return "";
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  private static String fingerprint(Map<String, FileContent> files, List<String> problems) {
    StringBuilder text = new StringBuilder();
    files.forEach(
        (name, content) -> text.append(name).append('\0').append(content.sha256()).append('\n'));
    problems.forEach(p -> text.append(p).append('\n'));
    return sha256(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
