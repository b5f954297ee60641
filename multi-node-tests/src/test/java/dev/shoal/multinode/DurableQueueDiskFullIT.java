package dev.shoal.multinode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.bench.sink.SinkBackend;
import dev.shoal.bench.sink.SinkMode;
import dev.shoal.node.NodeProcess;
import dev.shoal.pipeline.otlp.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A node whose data folder is a 512 KiB tmpfs, mounted by the test (root, as in CI), with the
 * durable queue on and its backend down: once the disk is full the node refuses requests with a
 * retryable status and counts them, stays up and ready, and takes requests again once the backend
 * is back and the exported segments are deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DurableQueueDiskFullIT {
  SinkInThisJvm sinkJvm;
  SinkBackend sink;
  LocalCluster cluster;
  Path mounted;

  @BeforeAll
  void startSinkAndMount() throws Exception {
    sinkJvm = SinkInThisJvm.start("disk-full-sink");
    sink = sinkJvm.backend();
    cluster = new LocalCluster("durable-disk-full");
    mounted = Files.createDirectories(cluster.dir().resolve("small-disk"));
    int status = run("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mounted.toString());
    if (status != 0) {
      mounted = null;
      throw new AssertionError(
          "cannot mount a tmpfs (exit " + status + "): this test needs root, as CI runs it");
    }
  }

  @AfterAll
  void stopAll() throws Exception {
    try {
      if (cluster != null) cluster.close();
      if (mounted != null) run("umount", "-l", mounted.toString());
    } finally {
      if (sinkJvm != null) sinkJvm.close();
    }
  }

  @Test
  void aFullDiskRefusesAndCountsNeverCrashesAndRecovers() throws Exception {
    Path pipelines =
        DurableQueueIT.writePipeline(cluster.dir().resolve("pipelines"), sink.grpcPort());
    Path config = cluster.dir().resolve("small-segments.conf");
    Files.writeString(
        config, "shoal.pipeline.durable-queue { segment-bytes = 64KiB, max-bytes = 64MiB }\n");
    sink.setMode(new SinkMode(SinkMode.Kind.FAIL_503, 0));
    NodeProcess node =
        cluster.start(
            "full",
            NodeProcess.Ports.free(),
            DurableQueueIT.DURABLE,
            "--pipelines",
            pipelines.toString(),
            "--data-dir",
            mounted.toString(),
            "--config",
            config.toString());
    node.awaitReady(DurableQueueIT.START);
    SteadyLoad load = new SteadyLoad(DurableQueueIT.REQUESTS_PER_SECOND);
    load.send(Duration.ofSeconds(5), List.of(node));
    load.awaitAnswers();
    System.out.printf(
        "MEASURED disk full: %d requests sent, %d spans acknowledged, not acknowledged: %s%n",
        load.requestsSent(), load.acknowledgedBy(List.of(node)), load.notAcknowledgedBy());
    assertTrue(
        load.notAcknowledgedBy().containsKey("HTTP 429"), "refused: " + load.notAcknowledgedBy());
    assertTrue(node.process().isAlive(), "the node runs");
    assertTrue(DurableQueueIT.metric(node, "shoal_durable_queue_write_failures_total") > 0);
    assertTrue(DurableQueueIT.metric(node, "shoal_pipeline_items_refused_total") > 0);
    assertTrue(node.output().contains("could not write"), node.output());

    sink.setMode(SinkMode.OK);
    long acknowledged = load.acknowledgedBy(List.of(node));
    Awaitility.await("the acknowledged spans delivered")
        .atMost(DurableQueueIT.DELIVERED)
        .pollInterval(DurableQueueIT.POLL)
        .until(() -> sink.counts().items(Signal.TRACES) >= acknowledged);
    // Exported segments are deleted at the next upkeep (fsync-interval), and a node that has
    // just failed a write refuses for up to a second: a few rounds of light load, bounded.
    SteadyLoad after = null;
    for (int round = 0; round < 10; round++) {
      after = new SteadyLoad(DurableQueueIT.REQUESTS_PER_SECOND / 4);
      after.send(Duration.ofSeconds(1), List.of(node));
      after.awaitAnswers();
      if (after.acknowledgedBy(List.of(node)) > 0) break;
    }
    assertTrue(
        after.acknowledgedBy(List.of(node)) > 0,
        "accepted again once space was freed: " + after.notAcknowledgedBy());
    assertTrue(node.getManagement("/ready").statusCode() == 200, "still ready");
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
