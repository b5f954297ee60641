package dev.shoal.pipeline.output;

import dev.shoal.pipeline.otlp.OtlpJson;
import dev.shoal.pipeline.stream.Batch;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each batch as one line of OTLP JSON (an {@code Export*ServiceRequest}) to a file that is
 * rotated by size, and logs one summary line per batch. File I/O runs on the given blocking
 * executor, never on the stream's threads.
 */
public final class DebugFileExporter implements Exporter {
  private static final Logger log = LoggerFactory.getLogger(DebugFileExporter.class);

  private final DebugOutputSettings settings;
  private final Executor blockingIo;
  private final Path current;
  private OutputStream out;
  private long written;

  public DebugFileExporter(DebugOutputSettings settings, Executor blockingIo) {
    this.settings = settings;
    this.blockingIo = blockingIo;
    this.current = settings.file();
  }

  @Override
  public CompletionStage<ExportResult> export(Batch batch) {
    CompletableFuture<ExportResult> written =
        CompletableFuture.supplyAsync(
            () -> {
              write(batch);
              return ExportResult.DELIVERED;
            },
            blockingIo);
    long delay = settings.delayPerBatch().toMillis();
    if (delay == 0) return written;
    Executor later = CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, blockingIo);
    return written.thenApplyAsync(result -> result, later);
  }

  private synchronized void write(Batch batch) {
    byte[] line = (OtlpJson.print(batch.merged()) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      if (out == null) open();
      if (written > 0 && written + line.length > settings.rotateBytes()) rotate();
      out.write(line);
      out.flush();
      written += line.length;
    } catch (IOException e) {
      closeQuietly();
      log.warn(
          "pipeline {}: lost a batch of {} {}: cannot write {}: {}",
          batch.pipeline(),
          batch.items(),
          batch.signal().itemName(),
          current,
          e.toString());
      throw new UncheckedIOException("cannot write debug output " + current, e);
    }
    log.info(
        "pipeline {}: {} {} in {} requests written to {}",
        batch.pipeline(),
        batch.items(),
        batch.signal().itemName(),
        batch.requests().size(),
        current.getFileName());
  }

  private void open() throws IOException {
    Files.createDirectories(settings.directory());
    out = Files.newOutputStream(current, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    written = Files.size(current);
  }

  private void rotate() throws IOException {
    out.close();
    out = null;
    String base = settings.fileName();
    Path dir = settings.directory();
    if (settings.keepFiles() == 0) {
      Files.delete(current);
    } else {
      Files.deleteIfExists(dir.resolve(base + "." + settings.keepFiles() + ".jsonl"));
      for (int i = settings.keepFiles() - 1; i >= 1; i--) {
        Path older = dir.resolve(base + "." + i + ".jsonl");
        if (Files.exists(older)) {
          Files.move(
              older,
              dir.resolve(base + "." + (i + 1) + ".jsonl"),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.move(current, dir.resolve(base + ".1.jsonl"), StandardCopyOption.REPLACE_EXISTING);
    }
    open();
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    if (out == null) return;
    try {
      out.close();
    } catch (IOException e) {
      log.warn("cannot close debug output {}: {}", current, e.toString());
    }
    out = null;
  }
}
