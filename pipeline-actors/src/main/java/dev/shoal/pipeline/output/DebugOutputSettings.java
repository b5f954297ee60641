package dev.shoal.pipeline.output;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The debug output: every batch as one line of OTLP JSON in a file, and a summary line in the log.
 *
 * @param directory folder of the files; created when missing
 * @param fileName base name of the file, without extension: {@code <fileName>.jsonl}
 * @param rotateBytes a file is rotated once it would grow beyond this size
 * @param keepFiles rotated files kept besides the current one ({@code <fileName>.1.jsonl} is the
 *     newest)
 * @param delayPerBatch holds each batch this long after writing it; 0 normally, more to try out
 *     backpressure with a slow output
 */
public record DebugOutputSettings(
    Path directory, String fileName, long rotateBytes, int keepFiles, Duration delayPerBatch)
    implements OutputSettings {

  public DebugOutputSettings {
    if (rotateBytes < 1024) {
      throw new IllegalArgumentException("debug output rotate-bytes must be at least 1 KiB");
    }
    if (keepFiles < 0) throw new IllegalArgumentException("debug output keep-files must be >= 0");
    if (delayPerBatch.isNegative()) {
      throw new IllegalArgumentException("debug output delay-per-batch must not be negative");
    }
  }

  /** The file batches are written to. */
  public Path file() {
    return directory.resolve(fileName + ".jsonl");
  }

  @Override
  public String toString() {
    return "debug output " + file();
  }
}
