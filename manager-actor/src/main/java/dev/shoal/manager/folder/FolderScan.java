package dev.shoal.manager.folder;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The YAML files of the pipelines folder as they were at one moment, not yet parsed.
 *
 * @param dir the folder
 * @param missing the folder does not exist (or is not a folder)
 * @param files content of each {@code *.yaml}/{@code *.yml} file, by file name
 * @param problems files that could not be read, one line each
 * @param fingerprint equal for two scans exactly when names, contents and problems are equal
 */
public record FolderScan(
    Path dir,
    boolean missing,
    SortedMap<String, FileContent> files,
    List<String> problems,
    String fingerprint) {

  public FolderScan {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    problems = List.copyOf(problems);
  }

  /**
   * One file's bytes and their SHA-256.
   *
   * @param bytes never modified
   * @param sha256 hex digest of the bytes
   */
  public record FileContent(byte[] bytes, String sha256) {}
}
