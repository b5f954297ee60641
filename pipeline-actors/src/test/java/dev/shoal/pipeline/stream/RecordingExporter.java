package dev.shoal.pipeline.stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.output.DebugOutputSettings;
import dev.shoal.pipeline.output.ExportResult;
import dev.shoal.pipeline.output.Exporter;
import dev.shoal.pipeline.output.OutputSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An output for tests that records every batch it is given. Its exports either complete at once or
 * wait until the test completes them by hand, so a test decides when bytes are released.
 */
public final class RecordingExporter implements Exporter {
  /** An output setting for {@link PipelineSettings}; the exporter given to the stream is used. */
  public static final OutputSettings UNUSED_OUTPUT =
      new DebugOutputSettings(Path.of("unused"), "unused", 1024, 0, Duration.ZERO);

  private boolean completeAtOnce;
  private final List<Batch> received = new CopyOnWriteArrayList<>();
  private final BlockingQueue<PendingExport> pending = new LinkedBlockingQueue<>();
  private final AtomicReference<RuntimeException> throwOnNextCall = new AtomicReference<>();
  private volatile boolean closed;

  private RecordingExporter(boolean completeAtOnce) {
    this.completeAtOnce = completeAtOnce;
  }

  /** Exports complete only when the test completes the future of {@link #nextExport()}. */
  public static RecordingExporter completingByHand() {
    return new RecordingExporter(false);
  }

  /** Every export completes successfully as soon as it is called. */
  public static RecordingExporter completingAtOnce() {
    return new RecordingExporter(true);
  }

  /** One export call that the test completes. */
  public record PendingExport(Batch batch, CompletableFuture<ExportResult> result) {
    public void succeed() {
      result.complete(ExportResult.DELIVERED);
    }

    public void fail(Throwable cause) {
      result.completeExceptionally(cause);
    }
  }

  @Override
  public synchronized CompletionStage<ExportResult> export(Batch batch) {
    RuntimeException toThrow = throwOnNextCall.getAndSet(null);
    if (toThrow != null) throw toThrow;
    received.add(batch);
    if (completeAtOnce) return CompletableFuture.completedFuture(ExportResult.DELIVERED);
    CompletableFuture<ExportResult> result = new CompletableFuture<>();
    pending.add(new PendingExport(batch, result));
    return result;
  }

  /** The next export call not yet taken, waiting for it up to 5 seconds. */
  public PendingExport nextExport() throws InterruptedException {
    PendingExport next = pending.poll(5, TimeUnit.SECONDS);
    assertNotNull(next, "no export call within 5 s");
    return next;
  }

  /** Completes the exports still pending, and every later one at once. */
  public synchronized void completeEverything() {
    completeAtOnce = true;
    for (PendingExport p = pending.poll(); p != null; p = pending.poll()) p.succeed();
  }

  /** Makes the next call of {@link #export} throw instead of returning a stage. */
  public void throwOnNextCall(RuntimeException failure) {
    throwOnNextCall.set(failure);
  }

  /** Every batch given to {@link #export} so far, in call order. */
  public List<Batch> received() {
    return List.copyOf(received);
  }

  /** The requests of every batch given so far, in order. */
  public List<ExportRequest> receivedRequests() {
    return received.stream().flatMap(b -> b.requests().stream()).toList();
  }

  public boolean closed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
