package dev.shoal.pipeline.durable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the segments a pipeline's log left on disk before it is opened again, so that what they
 * hold can be exported again. Corruption never stops a start:
 *
 * <ul>
 *   <li>a file whose header is not a segment's is moved to {@code quarantine/} whole;
 *   <li>the newest segment cut short inside its last record (a torn tail, after a crash) is
 *       truncated after its last whole record;
 *   <li>any other invalid record (checksum, impossible length) is copied to {@code quarantine/}
 *       with its whole file, and the segment is truncated before it: its valid records are kept.
 * </ul>
 *
 * Every such repair is logged and counted. Fully acknowledged segments are deleted.
 */
final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);
  static final String QUARANTINE = "quarantine";

  /**
   * What was found.
   *
   * @param segments the segments with records left to export, oldest first, all sealed
   * @param nextId the id the next new segment takes
   * @param quarantined files moved or copied aside
   * @param tornTails segments truncated after a torn last record
   * @param cutBytes bytes removed from segments by truncation
   */
  record Result(
      List<Segment> segments, long nextId, int quarantined, int tornTails, long cutBytes) {}

  private final String pipeline;
  private final Path dir;
  private int quarantined;
  private int tornTails;
  private long cutBytes;

  private Recovery(String pipeline, Path dir) {
    this.pipeline = pipeline;
    this.dir = dir;
  }

  static Result recover(String pipeline, Path dir) throws IOException {
    return new Recovery(pipeline, dir).run();
  }

  private Result run() throws IOException {
    Map<Long, Long> acked;
    try {
      acked = AckFile.read(dir);
    } catch (IOException e) {
      log.warn(
          "pipeline {}: the acknowledgement file in {} is unreadable ({}); every record on disk"
              + " is exported again (duplicates possible)",
          pipeline,
          dir,
          e.getMessage());
      acked = Map.of();
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> Segment.idOf(p) >= 0).sorted().toList();
    }
    List<Segment> kept = new ArrayList<>();
    long nextId = 1;
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      long id = Segment.idOf(file);
      nextId = Math.max(nextId, id + 1);
      Segment s = check(file, id, i == files.size() - 1, acked.getOrDefault(id, 0L));
      if (s == null) continue;
      if (s.fullyAcked()) Files.deleteIfExists(file);
      else kept.add(s);
    }
    return new Result(kept, nextId, quarantined, tornTails, cutBytes);
  }

  /** The segment with its valid records, or null when the file was moved aside. */
  private Segment check(Path file, long id, boolean newest, long ackedOffset) throws IOException {
    if (!hasHeader(file)) {
      moveAside(file, "its header is not a segment's");
      return null;
    }
    long valid;
    SegmentReader.Problem problem;
    String problemText;
    long size;
    try (SegmentReader reader = new SegmentReader(file, SegmentFormat.HEADER_BYTES)) {
      while (reader.next() != null) {
        // Reading checks every record's checksum; the records are read again when replayed.
      }
      valid = reader.position();
      problem = reader.problem();
      problemText = reader.problemText();
      size = reader.size();
    }
    if (problem == SegmentReader.Problem.TORN && newest) {
      tornTails++;
      log.warn(
          "pipeline {}: segment {} has a torn tail ({}); truncated to {} bytes, {} bytes cut",
          pipeline,
          file.getFileName(),
          problemText,
          valid,
          size - valid);
      truncate(file, valid, size);
    } else if (problem != SegmentReader.Problem.NONE) {
      Path copy = quarantineDir().resolve(file.getFileName() + "." + System.currentTimeMillis());
      Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
      quarantined++;
      log.error(
          "pipeline {}: segment {} is corrupt ({}); copied to {}, its {} valid bytes are kept and"
              + " the {} bytes from there on are not exported",
          pipeline,
          file.getFileName(),
          problemText,
          copy,
          valid,
          size - valid);
      truncate(file, valid, size);
    }
    // An offset beyond the valid records (the file was cut) means they were all exported.
    long from = Math.max(SegmentFormat.HEADER_BYTES, Math.min(ackedOffset, valid));
    return new Segment(id, file, valid, from, true);
  }

  private void truncate(Path file, long valid, long size) throws IOException {
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
      c.truncate(valid);
      c.force(true);
    }
    cutBytes += size - valid;
  }

  private static boolean hasHeader(Path file) throws IOException {
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer header = ByteBuffer.allocate(SegmentFormat.HEADER_BYTES);
      while (header.hasRemaining() && c.read(header) >= 0) {
        // reads until the header is full or the file ends
      }
      header.flip();
      return SegmentFormat.validHeader(header);
    }
  }

  private void moveAside(Path file, String why) throws IOException {
    Path target = quarantineDir().resolve(file.getFileName() + "." + System.currentTimeMillis());
    Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
    quarantined++;
    log.error("pipeline {}: {} moved to {}: {}", pipeline, file.getFileName(), target, why);
  }

  private Path quarantineDir() throws IOException {
    return Files.createDirectories(dir.resolve(QUARANTINE));
  }
}
