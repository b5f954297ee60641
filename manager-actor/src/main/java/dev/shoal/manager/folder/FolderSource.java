package dev.shoal.manager.folder;

import static dev.shoal.manager.folder.ContentHashes.fingerprint;
import static dev.shoal.manager.folder.ContentHashes.sha256;

import dev.shoal.manager.folder.FolderContents.ParsedFile;
import dev.shoal.manager.folder.FolderScan.FileContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
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

  private final Path dir;
  private final long maxFileBytes;

  public FolderSource(Path dir, long maxFileBytes) {
    this.dir = dir;
    this.maxFileBytes = maxFileBytes;
  }

  public Path dir() {
    return dir;
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
                files.put(name, YamlFileParser.parse(name, content, before, warnings));
              }
            });
    return new FolderContents(files, MergedSnapshot.of(files, warnings), warnings);
  }
}
