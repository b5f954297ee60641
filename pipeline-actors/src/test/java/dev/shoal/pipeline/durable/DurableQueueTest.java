package dev.shoal.pipeline.durable;

import static dev.shoal.pipeline.otlp.TestRequests.traces;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.stream.Admission;
import dev.shoal.pipeline.stream.BatchStage.BatchSettings;
import dev.shoal.pipeline.stream.PipelineQueue;
import dev.shoal.pipeline.stream.RecordingExporter;
import dev.shoal.pipeline.stream.RunningPipeline;
import dev.shoal.pipeline.stream.TestPipelines;
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
 * A pipeline with its durable queue on, through a running stream: requests are in a segment file
 * when they are acknowledged, the files go once everything is exported, and what a run did not
 * export is exported by the next run over the same folder, and nothing else.
 */
class DurableQueueTest {
  private static final BatchSettings ONE_REQUEST_PER_BATCH =
      new BatchSettings(1, Long.MAX_VALUE, Duration.ofMinutes(5));
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void acknowledgedRequestsAreOnDiskUntilExportedAndNothingStaysAfterADrain() throws Exception {
    ActorTestKit kit = DurableTestKits.durableIn("durable-drain", dir, "");
    try {
      TestPipelines pipelines = new TestPipelines(kit.system());
      RecordingExporter exporter = RecordingExporter.completingByHand();
      RunningPipeline p = start(pipelines, "drained", exporter);
      PipelineQueue queue = p.queue();
      long written = 0;
      for (int i = 0; i < 30; i++) {
        ExportRequest r = traces("drain-" + i, 3);
        assertEquals(Admission.ACCEPTED, queue.offer(r));
        written += SegmentFormat.recordBytes(r.bytes());
      }
      List<Path> files = DurableTestKits.segments(dir);
      assertTrue(files.size() > 1, "30 requests span several 4 KiB segments: " + files);
      long onDisk = 0;
      for (Path f : files) onDisk += Files.size(f) - SegmentFormat.HEADER_BYTES;
      assertEquals(written, onDisk, "every acknowledged request is in a segment file");

      exporter.completeEverything();
      p.drain().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(List.of(), DurableTestKits.segments(dir), "all exported: no segment left");
      assertEquals(30, exporter.receivedRequests().size());
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void whatOneRunDidNotExportTheNextRunExportsAndNothingElse() throws Exception {
    List<ExportRequest> sent = new ArrayList<>();
    for (int i = 0; i < 30; i++) sent.add(traces("restart-" + i, 2));

    ActorTestKit first = DurableTestKits.durableIn("durable-first", dir, "");
    RecordingExporter exporter = RecordingExporter.completingByHand();
    try {
      PipelineQueue queue = start(new TestPipelines(first.system()), "kept", exporter).queue();
      for (ExportRequest r : sent) assertEquals(Admission.ACCEPTED, queue.offer(r));
      for (int i = 0; i < 10; i++) exporter.nextExport().succeed();
      // The 11th is being exported: it is not done when the system stops.
      exporter.nextExport();
      await().atMost(WAIT).until(() -> queue.durableLog().unacked.size() == 20);
    } finally {
      first.shutdownTestKit(); // the stream stops without draining
    }

    ActorTestKit second = DurableTestKits.durableIn("durable-second", dir, "");
    try {
      RecordingExporter again = RecordingExporter.completingAtOnce();
      RunningPipeline p = start(new TestPipelines(second.system()), "kept", again);
      await().atMost(WAIT).until(() -> again.receivedRequests().size() >= 20);
      List<ExportRequest> replayed = again.receivedRequests();
      assertEquals(20, replayed.size(), "exactly the 20 not exported");
      for (int i = 0; i < 20; i++) {
        assertArrayEquals(sent.get(10 + i).protobuf(), replayed.get(i).protobuf(), "request " + i);
        assertEquals(sent.get(10 + i).items(), replayed.get(i).items());
      }
      assertEquals(40, p.queue().durableLog().stats().replayedItems());
      // New requests flow beside (here: after) the replayed ones.
      ExportRequest fresh = traces("after-restart", 4);
      assertEquals(Admission.ACCEPTED, p.queue().offer(fresh));
      await().atMost(WAIT).until(() -> again.receivedRequests().size() == 21);
      p.drain().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(List.of(), DurableTestKits.segments(dir), "all exported: no segment left");
    } finally {
      second.shutdownTestKit();
    }
  }

  @Test
  void aReplacedPipelineKeepsItsOwnFilesWhileTheOneReplacingItWritesOthers() throws Exception {
    ActorTestKit kit = DurableTestKits.durableIn("durable-reload", dir, "");
    try {
      TestPipelines pipelines = new TestPipelines(kit.system());
      RecordingExporter oldOutput = RecordingExporter.completingByHand();
      RunningPipeline old = start(pipelines, "reloaded", oldOutput);
      for (int i = 0; i < 5; i++) old.queue().offer(traces("old-" + i, 2));
      // A reload: the new stream starts beside the old one, which still holds its 5 requests.
      RecordingExporter newOutput = RecordingExporter.completingAtOnce();
      RunningPipeline replacing = start(pipelines, "reloaded", newOutput);
      for (int i = 0; i < 3; i++) replacing.queue().offer(traces("new-" + i, 2));
      await().atMost(WAIT).until(() -> newOutput.receivedRequests().size() == 3);
      assertEquals(0, replacing.queue().durableLog().stats().replayedItems(), "nothing adopted");

      oldOutput.completeEverything();
      old.drain().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(5, oldOutput.receivedRequests().size());
      replacing.drain().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(3, newOutput.receivedRequests().size(), "the new one exported only its own");
      assertEquals(List.of(), DurableTestKits.segments(dir), "all exported: no segment left");
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static RunningPipeline start(
      TestPipelines pipelines, String name, RecordingExporter exporter) {
    return pipelines.start(name, Signal.TRACES, 64L << 20, ONE_REQUEST_PER_BATCH, exporter);
  }
}
