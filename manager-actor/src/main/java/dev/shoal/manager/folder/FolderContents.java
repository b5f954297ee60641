package dev.shoal.manager.folder;

import dev.shoal.manager.crd.PipelineResource;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.reconcile.ResourceSnapshot;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the pipelines folder holds, parsed.
 *
 * @param files each YAML file's documents, by file name
 * @param snapshot the pipelines and Secrets of all files together, for the reconciler
 * @param warnings what was wrong while parsing the files that changed since the previous parse, one
 *     line each, naming the file
 */
public record FolderContents(
    SortedMap<String, ParsedFile> files, ResourceSnapshot snapshot, List<String> warnings) {

  public static final FolderContents EMPTY =
      new FolderContents(new TreeMap<>(), ResourceSnapshot.EMPTY, List.of());

  public FolderContents {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    warnings = List.copyOf(warnings);
  }

  /**
   * The documents of one file.
   *
   * @param sha256 digest of the bytes this was parsed from
   * @param failed the file did not parse; the documents are those of its last version that did
   * @param pipelines pipeline resources, in file order
   * @param schemaProblems pipelines whose fields did not fit the schema, with the problem
   * @param secrets Secrets, namespace set (default: {@code default})
   */
  public record ParsedFile(
      String sha256,
      boolean failed,
      List<PipelineResource> pipelines,
      Map<ResourceRef, String> schemaProblems,
      List<Secret> secrets) {

    public ParsedFile {
      pipelines = List.copyOf(pipelines);
      schemaProblems = Map.copyOf(schemaProblems);
      secrets = List.copyOf(secrets);
    }
  }
}
