package dev.shoal.manager.folder;

import static dev.shoal.manager.folder.ParseProblemText.schemaProblem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.manager.crd.PipelineKind;
import dev.shoal.manager.crd.PipelineResource;
import dev.shoal.manager.crd.ResourceRef;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The pipeline resources and Secrets of one file, read document by document. Pipeline resources are
 * read strictly: an unknown field or a value of the wrong type does not drop the resource silently
 * but becomes a schema problem that its status reports.
 */
final class ResourceDocuments {

  private static final KubernetesSerialization KUBERNETES = kubernetesSerialization();
  private static final Pattern NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final List<String> warnings;
  private final List<PipelineResource> pipelines = new ArrayList<>();
  private final Map<ResourceRef, String> schemaProblems = new LinkedHashMap<>();
  private final List<Secret> secrets = new ArrayList<>();

  ResourceDocuments(List<String> warnings) {
    this.warnings = warnings;
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

  List<PipelineResource> pipelines() {
    return pipelines;
  }

  Map<ResourceRef, String> schemaProblems() {
    return schemaProblems;
  }

  List<Secret> secrets() {
    return secrets;
  }

  /** Reads one document; {@code where} names it in warnings. */
  void read(JsonNode document, String where) {
    if (document == null || document.isNull() || document.isMissingNode()) return;
    if (!document.isObject()) {
      warnings.add(where + ": not a YAML mapping; skipped");
      return;
    }
    if (document.isEmpty()) return;
    String kind = document.path("kind").asText("");
    String apiVersion = document.path("apiVersion").asText("");
    String resourceName = document.path("metadata").path("name").asText("");
    Optional<PipelineKind> pipelineKind = PipelineKind.fromKind(kind);
    if (kind.equals("Secret") && apiVersion.equals("v1")) {
      readSecret(document, where, resourceName);
    } else if (pipelineKind.isPresent()) {
      readPipeline(document, where, pipelineKind.get(), apiVersion, resourceName);
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

  private void readSecret(JsonNode document, String where, String resourceName) {
    if (!validName(resourceName, where + " (Secret)")) return;
    try {
      Secret secret = KUBERNETES.convertValue(document, Secret.class);
      if (secret.getMetadata().getNamespace() == null) {
        secret.getMetadata().setNamespace("default");
      }
      secrets.add(secret);
    } catch (IllegalArgumentException e) {
      warnings.add(where + " (Secret " + resourceName + "): " + schemaProblem(e) + "; skipped");
    }
  }

  private void readPipeline(
      JsonNode document, String where, PipelineKind k, String apiVersion, String resourceName) {
    String kind = k.kind();
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
      return;
    }
    if (!validName(resourceName, where + " (" + kind + ")")) return;
    PipelineResource resource;
    try {
      resource = KUBERNETES.convertValue(document, k.newResource().getClass());
    } catch (IllegalArgumentException e) {
      resource = k.newResource();
      resource.setMetadata(metadata(document.path("metadata"), resourceName));
      schemaProblems.put(resource.ref(), schemaProblem(e));
    }
    pipelines.add(resource);
  }

  private boolean validName(String name, String where) {
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
}
