package dev.shoal.pipeline.durable;

import static dev.shoal.pipeline.otlp.TestRequests.traces;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.route.SignalRouter;
import dev.shoal.pipeline.stream.Admission;
import dev.shoal.pipeline.stream.BatchStage.BatchSettings;
import dev.shoal.pipeline.stream.RecordingExporter;
import dev.shoal.pipeline.stream.RunningPipeline;
import dev.shoal.pipeline.stream.TestPipelines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable queue on a file system that fills up: a real 256 KiB tmpfs, mounted by the test
 * (which needs root, as CI has). Writes that fail for want of space refuse the request with a
 * retryable answer and are counted; the pipeline keeps running and takes requests again once its
 * exports freed space.
 */
class DiskFullTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private Path mounted;

  @AfterEach
  void unmount() throws Exception {
    if (mounted != null) run("umount", "-l", mounted.toString());
  }

  @Test
  void aFullDiskRefusesRequestsAndCountsThemUntilExportsFreeSpace() throws Exception {
    mounted = Files.createDirectories(dir.resolve("small"));
    int status = run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mounted.toString());
    if (status != 0) {
      mounted = null;
      throw new AssertionError(
          "cannot mount a tmpfs (exit " + status + "): this test needs root, as CI runs it");
    }
    ActorTestKit kit = DurableTestKits.durableIn("durable-full", mounted, "");
    try {
      RecordingExporter exporter = RecordingExporter.completingByHand(); // a backend that is down
      RunningPipeline p =
          new TestPipelines(kit.system())
              .start(
                  "full",
                  Signal.TRACES,
                  64L << 20,
                  new BatchSettings(1, Long.MAX_VALUE, Duration.ofMinutes(5)),
                  exporter);
      SignalRouter router = new SignalRouter();
      router.route(List.of(p));
      int accepted = 0;
      Admission last = Admission.ACCEPTED;
      for (int i = 0; i < 1000 && last == Admission.ACCEPTED; i++) {
        last = router.offerAcknowledged(traces("fill-" + i, 20)).toCompletableFuture().join();
        if (last == Admission.ACCEPTED) accepted++;
      }
      assertEquals(Admission.QUEUE_FULL, last, "a full disk refuses, retryably");
      assertTrue(accepted > 10, "the disk took requests before it filled: " + accepted);
      DurableLog.Stats stats = p.queue().durableLog().stats();
      assertTrue(stats.writeFailures() > 0, "the write that found the disk full: " + stats);
      ExportRequest next = traces("while-full", 20);
      assertEquals(Admission.QUEUE_FULL, router.offer(next), "refused at once for a while");
      assertTrue(p.queue().durableLog().stats().refusals() > 0);
      assertTrue(p.queue().counters().snapshot().refused() >= 40, "refused items are counted");

      // The backend returns: exports free segments, and the pipeline takes requests again.
      exporter.completeEverything();
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> router.offer(traces("after", 20)) == Admission.ACCEPTED);
      p.drain().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(accepted + 1, exporter.receivedRequests().size(), "every acknowledged one");
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
