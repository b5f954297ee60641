package dev.shoal.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.bench.sink.SinkBackend;
import dev.shoal.node.NodeProcess;
import dev.shoal.pipeline.otlp.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Delivery across member loss: three members joined with {@code --seed} run a TracePipeline that
 * exports over OTLP/gRPC to a sink in this JVM, and take OTLP/HTTP at a steady rate. A member
 * stopped with SIGTERM in the middle of the load drains before it exits, so every span any member
 * acknowledged reaches the sink, exactly once. A member killed outright loses what it held, but
 * what the survivor acknowledges meanwhile still reaches the sink in full.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeliveryIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration DELIVERED = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(250);

  /** 200 requests of 10 spans a second: steady, and light enough for three nodes on two cores. */
  private static final int REQUESTS_PER_SECOND = 200;

  private SinkInThisJvm sinkJvm;
  private SinkBackend sink;
  private LocalCluster cluster;
  private NodeProcess a;
  private NodeProcess b;
  private NodeProcess c;

  @BeforeAll
  void startSinkAndThreeMembers() throws Exception {
    sinkJvm = SinkInThisJvm.start("delivery-sink");
    sink = sinkJvm.backend();
    cluster = new LocalCluster("delivery");
    Path pipelines = writePipelines(cluster.dir().resolve("pipelines"), sink.grpcPort());
    NodeProcess.Ports pa = NodeProcess.Ports.free();
    NodeProcess.Ports pb = NodeProcess.Ports.free();
    NodeProcess.Ports pc = NodeProcess.Ports.free();
    String seeds = String.join(",", pa.clusterAddress(), pb.clusterAddress(), pc.clusterAddress());
    String dir = pipelines.toString();
    a = cluster.start("a", pa, Map.of(), "--seed", seeds, "--pipelines", dir);
    b = cluster.start("b", pb, Map.of(), "--seed", seeds, "--pipelines", dir);
    c = cluster.start("c", pc, Map.of(), "--seed", seeds, "--pipelines", dir);
    for (NodeProcess node : List.of(a, b, c)) node.awaitReady(START);
    within(
        Duration.ofSeconds(30),
        "each of the three sees the three Up",
        () -> {
          for (NodeProcess node : List.of(a, b, c)) {
            if (!ClusterView.of(node).allUp(List.of(a, b, c))) return false;
          }
          return true;
        });
  }

  @AfterAll
  void stopAll() throws Exception {
    try {
      if (cluster != null) cluster.close();
    } finally {
      if (sinkJvm != null) sinkJvm.close();
    }
  }

  @Test
  @Order(1)
  void aMemberStoppedWithSigtermUnderLoadLosesNoAcknowledgedSpan() throws Exception {
    long before = sinkSpans();
    SteadyLoad load = new SteadyLoad(REQUESTS_PER_SECOND);
    load.send(Duration.ofSeconds(2), List.of(a, b, c));
    c.process().destroy(); // SIGTERM, with requests to it in flight
    long stopped = System.nanoTime();
    load.send(Duration.ofSeconds(2), List.of(a, b));
    load.awaitAnswers();
    long acknowledged = load.acknowledgedBy(List.of(a, b, c));
    System.out.printf(
        "MEASURED SIGTERM under load: %d requests sent, %d not acknowledged %s, %d spans"
            + " acknowledged (%d by the stopped member)%n",
        load.requestsSent(),
        load.requestsNotAcknowledged(),
        load.notAcknowledgedBy(),
        acknowledged,
        load.acknowledgedBy(List.of(c)));
    assertTrue(load.acknowledgedBy(List.of(c)) > 0, "the stopped member took load before");

    awaitSinkSpans(before + acknowledged, "every acknowledged span at the sink");
    assertEquals(0, c.awaitExit(Duration.ofSeconds(60)), c.output());
    report("member that got SIGTERM exited 0, from the signal", stopped);
    // A request the member took just before it stopped answering may be exported although its
    // client never saw the 200 (at-least-once: the client would send it again). Nothing else.
    long extra = sinkSpans() - before - acknowledged;
    System.out.printf("MEASURED spans at the sink beyond the acknowledged: %d%n", extra);
    assertTrue(
        extra >= 0 && extra <= load.requestsNotAcknowledged() * SteadyLoad.SPANS_PER_REQUEST,
        "spans at the sink beyond the acknowledged: " + extra);
  }

  @Test
  @Order(2)
  void aMemberKilledUnderLoadDoesNotKeepTheSurvivorFromDeliveringInFull() throws Exception {
    // Of two members, keep-majority keeps the side with the lowest address: the survivor is that
    // one, so that the resolver does not take it down if the load outlasts its decision.
    List<NodeProcess> left =
        List.of(a, b).stream().sorted(Comparator.comparingInt(n -> n.ports().cluster())).toList();
    NodeProcess survivor = left.get(0);
    NodeProcess killed = left.get(1);
    long before = sinkSpans();
    SteadyLoad load = new SteadyLoad(REQUESTS_PER_SECOND);
    load.send(Duration.ofSeconds(1), List.of(survivor));
    killed.process().destroyForcibly(); // kill -9: no drain, no leaving
    killed.process().waitFor(30, TimeUnit.SECONDS);
    load.send(Duration.ofSeconds(3), List.of(survivor));
    load.awaitAnswers();
    long acknowledged = load.acknowledgedBy(List.of(survivor));
    System.out.printf(
        "MEASURED kill -9 under load: %d requests sent to the survivor, %d not acknowledged, %d"
            + " spans acknowledged%n",
        load.requestsSent(), load.requestsNotAcknowledged(), acknowledged);
    assertTrue(acknowledged > 0, "the survivor took load");
    awaitSinkSpans(before + acknowledged, "every span the survivor acknowledged at the sink");
    // Nothing was sent to the killed member in this step: the sink has exactly the survivor's.
    assertEquals(before + acknowledged, sinkSpans(), "spans at the sink" + cluster.logs());
  }

  private long sinkSpans() {
    return sink.counts().items(Signal.TRACES);
  }

  private void awaitSinkSpans(long expected, String what) throws Exception {
    long waiting = System.nanoTime();
    try {
      Awaitility.await(what)
          .atMost(DELIVERED)
          .pollInterval(POLL)
          .until(() -> sinkSpans() >= expected);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          what + ": expected " + expected + " spans, the sink has " + sinkSpans() + cluster.logs(),
          e);
    }
    report("sink reached the acknowledged count, after the load", waiting);
  }

  private void within(Duration bound, String what, java.util.concurrent.Callable<Boolean> check) {
    try {
      Awaitility.await(what).atMost(bound).pollInterval(POLL).ignoreExceptions().until(check);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + cluster.logs(), e);
    }
  }

  private static void report(String what, long sinceNanos) {
    System.out.printf("MEASURED %s: %.1f s%n", what, (System.nanoTime() - sinceNanos) / 1e9);
  }

  /** One TracePipeline exporting over OTLP/gRPC to the sink (docs/pipelines.md). */
  private static Path writePipelines(Path dir, int sinkGrpcPort) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("delivery.yaml"),
        String.join(
            "\n",
            "apiVersion: telemetry.shoal.dev/v1beta1",
            "kind: TracePipeline",
            "metadata:",
            "  name: delivery",
            "spec:",
            "  output:",
            "    otlp:",
            "      protocol: grpc",
            "      endpoint:",
            "        value: http://127.0.0.1:" + sinkGrpcPort,
            ""));
    return dir;
  }
}
