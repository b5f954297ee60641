package dev.shoal.pipeline.output;

import static dev.shoal.pipeline.otlp.TestRequests.logs;
import static dev.shoal.pipeline.otlp.TestRequests.traces;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.OtlpJson;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.stream.Batch;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The debug output: OTLP JSON lines in a file rotated by size. */
class DebugFileExporterTest {
  private static final ExecutorService blockingIo = Executors.newSingleThreadExecutor();
  private static final long ROTATE_BYTES = 1024;
  private static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir Path dir;

  @AfterAll
  static void shutDown() {
    blockingIo.shutdownNow();
  }

  @Test
  void writesEachBatchAsOneLineOfItsMergedRequest() throws Exception {
    ExportRequest r1 = traces("checkout", 2);
    ExportRequest r2 = traces("cart", 3);
    ExportRequest r3 = traces("payment", 1);
    DebugFileExporter exporter = exporter("spans", 1 << 20, 3, Duration.ZERO);

    export(exporter, batch(r1, r2));
    export(exporter, batch(r3));
    exporter.close();

    List<String> lines = Files.readAllLines(dir.resolve("spans.jsonl"), StandardCharsets.UTF_8);
    assertEquals(2, lines.size());
    ExportTraceServiceRequest both =
        ExportTraceServiceRequest.newBuilder()
            .addAllResourceSpans(((ExportTraceServiceRequest) r1.decode()).getResourceSpansList())
            .addAllResourceSpans(((ExportTraceServiceRequest) r2.decode()).getResourceSpansList())
            .build();
    assertEquals(both, parse(Signal.TRACES, lines.get(0)));
    assertEquals(5, Signal.TRACES.countItems(parse(Signal.TRACES, lines.get(0))));
    assertEquals(r3.decode(), parse(Signal.TRACES, lines.get(1)));
  }

  @Test
  void writesLogBatchesAsExportLogsServiceRequests() throws Exception {
    ExportRequest r1 = logs("api", 2);
    ExportRequest r2 = logs("worker", 1);
    DebugFileExporter exporter = exporter("logs", 1 << 20, 3, Duration.ZERO);

    export(exporter, new Batch("debug", Signal.LOGS, List.of(r1, r2), 3, r1.bytes() + r2.bytes()));
    exporter.close();

    List<String> lines = Files.readAllLines(dir.resolve("logs.jsonl"), StandardCharsets.UTF_8);
    ExportLogsServiceRequest expected =
        ExportLogsServiceRequest.newBuilder()
            .addAllResourceLogs(((ExportLogsServiceRequest) r1.decode()).getResourceLogsList())
            .addAllResourceLogs(((ExportLogsServiceRequest) r2.decode()).getResourceLogsList())
            .build();
    assertEquals(List.of(expected), lines.stream().map(l -> parse(Signal.LOGS, l)).toList());
  }

  @Test
  void rotatesBySizeAndKeepsOnlyTheNewestRotatedFiles() throws Exception {
    int perFile = linesPerFile();
    List<Batch> batches = numberedBatches(4 * perFile + 1);
    DebugFileExporter exporter = exporter("spans", ROTATE_BYTES, 2, Duration.ZERO);

    for (Batch b : batches) export(exporter, b);
    exporter.close();

    assertEquals(Set.of("spans.jsonl", "spans.1.jsonl", "spans.2.jsonl"), fileNames());
    int end = batches.size();
    assertFileHolds("spans.jsonl", batches.subList(end - 1, end));
    assertFileHolds("spans.1.jsonl", batches.subList(end - 1 - perFile, end - 1));
    assertFileHolds("spans.2.jsonl", batches.subList(end - 1 - 2 * perFile, end - 1 - perFile));
  }

  @Test
  void keepFilesZeroDeletesTheFileInsteadOfRotatingIt() throws Exception {
    int perFile = linesPerFile();
    List<Batch> batches = numberedBatches(2 * perFile + 2);
    DebugFileExporter exporter = exporter("spans", ROTATE_BYTES, 0, Duration.ZERO);

    for (Batch b : batches) export(exporter, b);
    exporter.close();

    assertEquals(Set.of("spans.jsonl"), fileNames());
    assertFileHolds("spans.jsonl", batches.subList(batches.size() - 2, batches.size()));
  }

  @Test
  void delayPerBatchHoldsEachCompletionAfterWriting() throws Exception {
    ExportRequest held = traces("held", 1);
    ExportRequest slow = traces("slow", 2);
    // Longer than the test: the line is written, and the export still is not complete.
    DebugFileExporter holding = exporter("held", 1 << 20, 1, Duration.ofMinutes(5));
    CompletableFuture<ExportResult> pending = holding.export(batch(held)).toCompletableFuture();
    await().atMost(WAIT).until(() -> completeLines("held.jsonl").size() == 1);
    assertFalse(pending.isDone());
    assertEquals(held.decode(), parse(Signal.TRACES, completeLines("held.jsonl").get(0)));
    holding.close();

    Duration delay = Duration.ofMillis(300);
    DebugFileExporter delaying = exporter("slow", 1 << 20, 1, delay);
    long started = System.nanoTime();
    export(delaying, batch(slow));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    delaying.close();

    assertTrue(took.compareTo(delay) >= 0, "completed after " + took.toMillis() + " ms");
    assertEquals(List.of(slow.decode()), parsedLines("slow.jsonl"));
  }

  /** How many lines of {@link #numberedBatches} fit in one file; each has the same length. */
  private static int linesPerFile() {
    Batch sample = numberedBatches(1).get(0);
    int lineBytes =
        (OtlpJson.print(sample.merged()) + "\n").getBytes(StandardCharsets.UTF_8).length;
    int perFile = (int) (ROTATE_BYTES / lineBytes);
    assertTrue(perFile >= 2, "a line of " + lineBytes + " bytes must fit twice into a file");
    return perFile;
  }

  /** Batches of one request each, whose JSON lines all have the same length. */
  private static List<Batch> numberedBatches(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> batch(traces(String.format("batch-%03d", i), 1)))
        .toList();
  }

  private DebugFileExporter exporter(String name, long rotateBytes, int keep, Duration delay) {
    return new DebugFileExporter(
        new DebugOutputSettings(dir, name, rotateBytes, keep, delay), blockingIo);
  }

  private static void export(DebugFileExporter exporter, Batch batch) throws Exception {
    exporter.export(batch).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static Batch batch(ExportRequest... requests) {
    List<ExportRequest> list = List.of(requests);
    return new Batch(
        "debug",
        Signal.TRACES,
        list,
        list.stream().mapToInt(ExportRequest::items).sum(),
        list.stream().mapToLong(ExportRequest::bytes).sum());
  }

  private void assertFileHolds(String fileName, List<Batch> expected) throws IOException {
    Path file = dir.resolve(fileName);
    assertTrue(Files.size(file) <= ROTATE_BYTES, fileName + " is larger than rotate-bytes");
    List<Message> written = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      written.add(parse(Signal.TRACES, line));
    }
    assertEquals(expected.stream().map(Batch::merged).toList(), written, fileName);
  }

  /** The lines of a file that are complete: written up to their line feed. */
  private List<String> completeLines(String fileName) throws IOException {
    Path file = dir.resolve(fileName);
    if (!Files.exists(file)) return List.of();
    String content = Files.readString(file, StandardCharsets.UTF_8);
    return content.lines().limit(content.chars().filter(c -> c == '\n').count()).toList();
  }

  private List<Message> parsedLines(String fileName) throws IOException {
    return Files.readAllLines(dir.resolve(fileName), StandardCharsets.UTF_8).stream()
        .map(line -> parse(Signal.TRACES, line))
        .toList();
  }

  private Set<String> fileNames() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  private static Message parse(Signal signal, String line) {
    try {
      return signal.parseJson(line.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("not OTLP JSON: " + line, e);
    }
  }
}
