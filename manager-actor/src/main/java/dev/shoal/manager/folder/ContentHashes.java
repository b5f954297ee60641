package dev.shoal.manager.folder;

import dev.shoal.manager.folder.FolderScan.FileContent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * SHA-256 digests of files, and of a whole scan so that an unchanged folder is not parsed again.
 */
final class ContentHashes {

  private ContentHashes() {}

  static String fingerprint(Map<String, FileContent> files, List<String> problems) {
    StringBuilder text = new StringBuilder();
    files.forEach(
        (name, content) -> text.append(name).append('\0').append(content.sha256()).append('\n'));
    problems.forEach(p -> text.append(p).append('\n'));
    return sha256(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
