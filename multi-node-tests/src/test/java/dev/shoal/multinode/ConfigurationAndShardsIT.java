package dev.shoal.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.bench.sink.SinkBackend;
import dev.shoal.node.NodeProcess;
import dev.shoal.pipeline.otlp.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
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
 * The control plane across real member processes: the pipeline manager (a singleton) reads a folder
 * and publishes its pipelines through Distributed Data; every member runs them, including one that
 * joins later; the pipelines' entities spread over the members and re-home when one is killed; the
 * manager moves with the oldest member and goes on publishing. Every member is given the same
 * {@code --pipelines} folder; only the manager's member reads it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigurationAndShardsIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration POLL = Duration.ofMillis(100);

  /** Failure detection + resolver + margins (docs/operations.md), with room for a busy machine. */
  private static final Duration REMOVED = Duration.ofSeconds(45);

  private SinkInThisJvm sinkJvm;
  private SinkBackend sink;
  private LocalCluster cluster;
  private Path pipelines;
  private String seeds;
  private final List<NodeProcess> members = new ArrayList<>();
  private final Set<String> names = new TreeSet<>();

  @BeforeAll
  void startSinkAndThreeMembers() throws Exception {
    sinkJvm = SinkInThisJvm.start("shards-sink");
    sink = sinkJvm.backend();
    cluster = new LocalCluster("shards");
    pipelines = Files.createDirectories(cluster.dir().resolve("pipelines"));
    for (int i = 1; i <= 6; i++) writePipeline("p" + i);
    NodeProcess.Ports pa = NodeProcess.Ports.free();
    NodeProcess.Ports pb = NodeProcess.Ports.free();
    NodeProcess.Ports pc = NodeProcess.Ports.free();
    seeds = String.join(",", pa.clusterAddress(), pb.clusterAddress(), pc.clusterAddress());
    members.add(start("a", pa));
    members.add(start("b", pb));
    members.add(start("c", pc));
    for (NodeProcess node : members) node.awaitReady(START);
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
  void everyMemberRunsTheSameVersionOfThePublishedPipelines() throws Exception {
    within(Duration.ofSeconds(30), "all three run the folder's six pipelines", this::allRunNames);
    long version = MemberPipelines.of(members.get(0)).version();
    assertTrue(version >= 1, "a published version: " + version);
    for (NodeProcess node : members) {
      assertEquals(version, MemberPipelines.of(node).version(), node.clusterNode());
      assertEquals(
          node == manager() ? 1 : 0,
          count(node.output(), "pipeline manager started"),
          "only the oldest member runs the manager: " + node.clusterNode());
    }
  }

  @Test
  @Order(2)
  void thePipelineEntitiesSpreadOverTheMembers() throws Exception {
    // Each member reports every pipeline every 5 s; the first reports start the entities.
    within(
        Duration.ofSeconds(40),
        "six entities, on more than one member",
        () -> entitiesOn(members) == names.size() && membersHostingEntities(members) >= 2);
    System.out.printf("MEASURED entities per member: %s%n", entitiesPerMember(members));
  }

  @Test
  @Order(3)
  void aPipelineAddedToTheFolderRunsOnEveryMemberWithinTwoSeconds() throws Exception {
    long before = MemberPipelines.of(members.get(0)).version();
    long written = System.nanoTime();
    writePipeline("p7");
    within(Duration.ofSeconds(20), "every member runs p7", this::allRunNames);
    double took = (System.nanoTime() - written) / 1e9;
    List<String> delays = new ArrayList<>();
    for (NodeProcess node : members) {
      MemberPipelines state = MemberPipelines.of(node);
      assertEquals(before + 1, state.version(), "one change, one version: " + node.clusterNode());
      delays.add(node.managementUrl("") + " " + applyDelay(node) + " s");
    }
    System.out.printf(
        "MEASURED file written -> running on all 3 members: %.2f s (folder poll interval 0.5 s);"
            + " publication -> applied per member: %s%n",
        took, delays);
  }

  @Test
  @Order(4)
  void whenTheManagersMemberIsKilledTheRestGoOnManagingEntitiesAndDelivery() throws Exception {
    NodeProcess killed = manager();
    killed.process().destroyForcibly(); // kill -9: the singleton and its entities die with it
    killed.process().waitFor(30, TimeUnit.SECONDS);
    members.remove(killed);
    long since = System.nanoTime();
    within(
        REMOVED,
        "the survivors remove the killed member",
        () ->
            ClusterView.of(members.get(0)).allUp(members)
                && ClusterView.of(members.get(1)).allUp(members));
    report("killed member removed", since);

    within(
        Duration.ofSeconds(40),
        "every pipeline's entity lives on a survivor",
        () -> entitiesOn(members) == names.size());
    report("entities re-homed on the survivors", since);

    long before = sinkSpans();
    SteadyLoad load = new SteadyLoad(100);
    load.send(Duration.ofSeconds(2), members);
    load.awaitAnswers();
    long acknowledged = load.acknowledgedBy(members);
    assertTrue(acknowledged > 0, "the survivors took load");
    // Every trace pipeline takes every span, and all of them export to the sink.
    long expected = before + acknowledged * names.size();
    awaitSinkSpans(expected);
    assertEquals(expected, sinkSpans(), "exactly the acknowledged spans, once per pipeline");

    // The manager runs on a survivor now, reads the folder, and publishes what changes.
    long changed = System.nanoTime();
    writePipeline("p8");
    within(Duration.ofSeconds(60), "both survivors run p8", this::allRunNames);
    report("a change after the manager's member died runs on the survivors", changed);
    assertEquals(1, count(manager().output(), "pipeline manager started"), "the new manager");
  }

  @Test
  @Order(5)
  void aMemberThatJoinsLaterRunsTheConfigurationAndTakesShards() throws Exception {
    long version = MemberPipelines.of(members.get(0)).version();
    long started = System.nanoTime();
    NodeProcess d = start("d", NodeProcess.Ports.free());
    members.add(d);
    d.awaitReady(START);
    MemberPipelines state = MemberPipelines.of(d);
    assertEquals(version, state.version(), "it runs the current version as soon as it is ready");
    assertEquals(names, state.pipelines());
    report("a fourth member ready with the current configuration", started);
    // Rebalancing moves shards to the new region every rebalance-interval (10 s).
    within(
        Duration.ofSeconds(60),
        "the new member hosts pipeline entities",
        () -> MemberPipelines.of(d).entities() > 0 && entitiesOn(members) == names.size());
    report("the fourth member hosts entities", started);
    System.out.printf("MEASURED entities per member: %s%n", entitiesPerMember(members));
  }

  private NodeProcess start(String name, NodeProcess.Ports ports) throws Exception {
    return cluster.start(
        name, ports, Map.of(), "--seed", seeds, "--pipelines", pipelines.toString());
  }

  /** The member that runs the pipeline manager: the oldest, as the first member sees it. */
  private NodeProcess manager() throws Exception {
    String oldest = ClusterView.of(members.get(0)).oldest();
    return members.stream()
        .filter(n -> n.clusterNode().equals(oldest))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no member is the oldest, " + oldest));
  }

  private boolean allRunNames() throws Exception {
    for (NodeProcess node : members) {
      if (!MemberPipelines.of(node).pipelines().equals(names)) return false;
    }
    return true;
  }

  private static int entitiesOn(List<NodeProcess> nodes) throws Exception {
    int sum = 0;
    for (NodeProcess node : nodes) sum += MemberPipelines.of(node).entities();
    return sum;
  }

  private static long membersHostingEntities(List<NodeProcess> nodes) throws Exception {
    long hosting = 0;
    for (NodeProcess node : nodes) if (MemberPipelines.of(node).entities() > 0) hosting++;
    return hosting;
  }

  private static Map<String, Integer> entitiesPerMember(List<NodeProcess> nodes) throws Exception {
    Map<String, Integer> perMember = new HashMap<>();
    for (NodeProcess node : nodes) {
      perMember.put(node.clusterNode(), MemberPipelines.of(node).entities());
    }
    return perMember;
  }

  private static String applyDelay(NodeProcess node) throws Exception {
    return node.getManagement("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith("shoal_pipeline_configuration_apply_delay_seconds "))
        .map(l -> l.substring(l.indexOf(' ') + 1))
        .findFirst()
        .orElse("?");
  }

  private static long count(String text, String what) {
    return text.lines().filter(l -> l.contains(what)).count();
  }

  private long sinkSpans() {
    return sink.counts().items(Signal.TRACES);
  }

  private void awaitSinkSpans(long expected) {
    within(
        Duration.ofSeconds(60),
        "the sink has " + expected + " spans",
        () -> sinkSpans() >= expected);
  }

  /** A TracePipeline exporting over OTLP/gRPC to the sink (docs/pipelines.md). */
  private void writePipeline(String name) throws Exception {
    Path file = pipelines.resolve(name + ".yaml");
    Path partial = pipelines.resolve("." + name + ".tmp");
    Files.writeString(
        partial,
        String.join(
            "\n",
            "apiVersion: telemetry.shoal.dev/v1beta1",
            "kind: TracePipeline",
            "metadata:",
            "  name: " + name,
            "spec:",
            "  output:",
            "    otlp:",
            "      protocol: grpc",
            "      endpoint:",
            "        value: http://127.0.0.1:" + sink.grpcPort(),
            ""));
    // Whole or not at all: the folder is polled while the file is written.
    Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    names.add("tracepipeline/" + name);
  }

  private void within(Duration bound, String what, Callable<Boolean> condition) {
    try {
      Awaitility.await(what).atMost(bound).pollInterval(POLL).ignoreExceptions().until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + cluster.logs(), e);
    }
  }

  private static void report(String what, long sinceNanos) {
    System.out.printf("MEASURED %s: %.1f s%n", what, (System.nanoTime() - sinceNanos) / 1e9);
  }
}
