package dev.shoal.pipeline.durable;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The file {@code acked} of a pipeline's log: for each segment, the offset up to which its records
 * were exported. Replaced whole (written beside, synced, renamed over), so a crash leaves either
 * the old or the new one. Lines {@code <segment id> <offset>}, then {@code end <line count>}.
 */
final class AckFile {
  static final String NAME = "acked";

  private AckFile() {}

  static void write(Path dir, Collection<Segment> segments) throws IOException {
    StringBuilder text = new StringBuilder();
    int lines = 0;
    for (Segment s : segments) {
      text.append(s.id).append(' ').append(s.acked).append('\n');
      lines++;
    }
    text.append("end ").append(lines).append('\n');
    Path tmp = dir.resolve(NAME + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
    try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      c.force(true);
    }
    Files.move(tmp, dir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * The acknowledged offset of each segment; empty when there is no file yet.
   *
   * @throws IOException when the file cannot be read or is not whole
   */
  static Map<Long, Long> read(Path dir) throws IOException {
    String text;
    try {
      text = Files.readString(dir.resolve(NAME), StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return Map.of();
    }
    Map<Long, Long> acked = new HashMap<>();
    String[] lines = text.split("\n");
    try {
      for (String line : lines) {
        String[] parts = line.split(" ");
        if (parts.length != 2) throw new IOException("malformed line '" + line + "'");
        if (parts[0].equals("end")) {
          if (Integer.parseInt(parts[1]) != acked.size()) throw new IOException("lines missing");
          return acked;
        }
        acked.put(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
      }
    } catch (NumberFormatException e) {
      throw new IOException("malformed number: " + e.getMessage());
    }
    throw new IOException("the end line is missing");
  }
}
