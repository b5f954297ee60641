package dev.shoal.manager.folder;

import dev.shoal.manager.crd.PipelineResource;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.folder.FolderContents.ParsedFile;
import dev.shoal.manager.reconcile.ResourceSnapshot;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** All files together; a pipeline defined in two files is a schema problem of that pipeline. */
final class MergedSnapshot {

  private MergedSnapshot() {}

  static ResourceSnapshot of(Map<String, ParsedFile> files, List<String> warnings) {
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
}
