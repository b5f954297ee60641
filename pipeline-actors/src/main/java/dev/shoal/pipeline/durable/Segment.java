package dev.shoal.pipeline.durable;

import java.nio.file.Path;

/**
 * One segment file of a pipeline's log and how far its records were exported.
 *
 * <p>The writer thread appends to the newest segment only and seals it when it is full; {@code
 * acked} moves forward as the stream finishes the exports of its records, in the order they were
 * written. A sealed segment whose every record is acknowledged is deleted.
 */
final class Segment {
  final long id;
  final Path file;

  /** Bytes in the file, header included; only the writer thread changes it. */
  volatile long size;

  /** Offset up to which every record was exported or given up: nothing before it is replayed. */
  volatile long acked;

  /** No more records will be appended. */
  volatile boolean sealed;

  Segment(long id, Path file, long size, long acked, boolean sealed) {
    this.id = id;
    this.file = file;
    this.size = size;
    this.acked = acked;
    this.sealed = sealed;
  }

  boolean fullyAcked() {
    return sealed && acked >= size;
  }

  static String fileName(long id) {
    return String.format("%020d.seg", id);
  }

  /** The id in a segment file's name, or -1 when the name is not one of a segment. */
  static long idOf(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(".seg") || name.length() != 24) return -1;
    try {
      return Long.parseLong(name.substring(0, 20));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String toString() {
    return file.getFileName() + " (" + acked + "/" + size + " bytes acknowledged)";
  }
}
