package dev.shoal.pipeline.durable;

import static dev.shoal.pipeline.otlp.TestRequests.traces;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.stream.Admission;
import dev.shoal.pipeline.stream.BatchStage.BatchSettings;
import dev.shoal.pipeline.stream.RecordingExporter;
import dev.shoal.pipeline.stream.RunningPipeline;
import dev.shoal.pipeline.stream.TestPipelines;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment files damaged while the node was down: the pipeline still starts, exports every valid
 * record before the damage, moves the damage aside, counts it, and takes new requests.
 */
class CorruptSegmentsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void damagedSegmentsAreRepairedOrMovedAsideAndThePipelineServes() throws Exception {
    Path run = Files.createDirectories(dir.resolve("damaged").resolve("0000000001"));
    List<ExportRequest> a = requests("a", 5);
    List<ExportRequest> b = requests("b", 3);
    // Segment 0 is not a segment at all: moved aside whole.
    Files.write(run.resolve(Segment.fileName(0)), "not a segment".getBytes());
    // Segment 1: a bit flipped in the payload of its 4th record; the first 3 are kept.
    byte[] one = segment(a);
    int fourth = SegmentFormat.HEADER_BYTES;
    for (int i = 0; i < 3; i++) fourth += (int) SegmentFormat.recordBytes(a.get(i).bytes());
    one[fourth + SegmentFormat.RECORD_HEADER_BYTES + 5] ^= 0x10;
    Files.write(run.resolve(Segment.fileName(1)), one);
    // Segment 2, the newest: its last record cut in the middle (a torn tail).
    byte[] two = segment(b);
    int cut = two.length - (int) b.get(2).bytes() / 2;
    Files.write(run.resolve(Segment.fileName(2)), java.util.Arrays.copyOf(two, cut));

    ActorTestKit kit = DurableTestKits.durableIn("durable-corrupt", dir, "");
    try {
      RecordingExporter exporter = RecordingExporter.completingAtOnce();
      RunningPipeline p =
          new TestPipelines(kit.system())
              .start(
                  "damaged",
                  Signal.TRACES,
                  64L << 20,
                  new BatchSettings(1, Long.MAX_VALUE, Duration.ofMinutes(5)),
                  exporter);
      List<ExportRequest> expected = new ArrayList<>(a.subList(0, 3));
      expected.addAll(b.subList(0, 2));
      await().atMost(WAIT).until(() -> exporter.receivedRequests().size() >= expected.size());
      List<ExportRequest> got = exporter.receivedRequests();
      assertEquals(expected.size(), got.size());
      for (int i = 0; i < expected.size(); i++) {
        assertArrayEquals(expected.get(i).protobuf(), got.get(i).protobuf(), "record " + i);
      }
      DurableLog.Stats stats = p.queue().durableLog().stats();
      assertEquals(2, stats.quarantined(), "the foreign file and the corrupt segment");
      assertEquals(1, stats.tornTails());
      assertEquals(2, DurableTestKits.quarantined(dir).size());

      ExportRequest fresh = traces("fresh", 2);
      assertEquals(Admission.ACCEPTED, p.queue().offer(fresh));
      await().atMost(WAIT).until(() -> exporter.receivedRequests().size() == expected.size() + 1);
      p.drain().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(List.of(), DurableTestKits.segments(dir), "all exported: no segment left");
      assertEquals(2, DurableTestKits.quarantined(dir).size(), "quarantine is kept to look at");
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static List<ExportRequest> requests(String prefix, int n) {
    List<ExportRequest> list = new ArrayList<>();
    for (int i = 0; i < n; i++) list.add(traces(prefix + "-" + i, 2));
    return list;
  }

  /** A segment file as the log writes it. */
  private static byte[] segment(List<ExportRequest> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, SegmentFormat.header());
    for (ExportRequest r : records) {
      write(out, SegmentFormat.recordHeader(r.items(), r.protobuf()));
      out.writeBytes(r.protobuf());
    }
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    out.writeBytes(bytes);
  }
}
