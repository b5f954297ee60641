package dev.shoal.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.shoal.node.NodeProcess;
import dev.shoal.node.ShoalNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
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
 * Membership of real node processes joined with {@code --seed}: three form a cluster, one killed
 * outright is removed by the split-brain resolver, a fourth joins later, one stopped with SIGTERM
 * leaves by itself. The steps run in order on the same cluster; each waits with a bound, and the
 * bounds of failure handling are derived from the node's own timings (docs/operations.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MembershipIT {
  /** The node's configuration as it runs in the processes: the timings to expect. */
  private static final Config NODE = ShoalNode.loadConfig(ConfigFactory.empty());

  /** Room for a loaded machine: JVMs starting beside builds, a late poll. */
  private static final Duration SLACK = Duration.ofSeconds(10);

  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(250);

  private LocalCluster cluster;
  private NodeProcess a;
  private NodeProcess b;
  private NodeProcess c;
  private NodeProcess d;
  private String seeds;
  private long launched;

  @BeforeAll
  void startThreeMembers() throws Exception {
    cluster = new LocalCluster("membership");
    NodeProcess.Ports pa = NodeProcess.Ports.free();
    NodeProcess.Ports pb = NodeProcess.Ports.free();
    NodeProcess.Ports pc = NodeProcess.Ports.free();
    // The same list, in the same order, on every member; the first seeds itself.
    seeds = String.join(",", pa.clusterAddress(), pb.clusterAddress(), pc.clusterAddress());
    // All three at once: each JVM takes seconds to start, and they find each other through the
    // seed list whatever the order.
    launched = System.nanoTime();
    a = cluster.start("a", pa, Map.of(), "--seed", seeds);
    b = cluster.start("b", pb, Map.of(), "--seed", seeds);
    c = cluster.start("c", pc, Map.of(), "--seed", seeds);
  }

  @AfterAll
  void stopAll() throws Exception {
    if (cluster != null) cluster.close();
  }

  @Test
  @Order(1)
  void threeMembersStartedWithTheSameSeedsFormOneCluster() throws Exception {
    for (NodeProcess node : List.of(a, b, c)) node.awaitReady(START);
    within(
        Duration.ofSeconds(30),
        "each of the three sees the three Up",
        () -> allSee(List.of(a, b, c), List.of(a, b, c)));
    report("3 members Up on every member, from their launch", launched);
    for (NodeProcess node : List.of(a, b, c)) {
      assertTrue(node.output().contains("joining the cluster through the seed nodes"));
      assertEquals(200, node.getManagement("/ready").statusCode(), node.clusterNode());
    }
  }

  @Test
  @Order(2)
  void aKilledMemberIsMarkedUnreachableAndRemovedWithinTheResolversTime() throws Exception {
    Duration stableAfter = NODE.getDuration("pekko.cluster.split-brain-resolver.stable-after");
    // docs/operations.md: unreachable after heartbeat-interval + acceptable-heartbeat-pause,
    // downed stable-after later, removed at the leader's next round, seen by all after a gossip.
    Duration expected =
        NODE.getDuration("pekko.cluster.failure-detector.heartbeat-interval")
            .plus(NODE.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause"))
            .plus(stableAfter)
            .plus(NODE.getDuration("pekko.cluster.leader-actions-interval"))
            .plus(NODE.getDuration("pekko.cluster.gossip-interval"));
    Duration bound = expected.plus(SLACK);

    c.process().destroyForcibly(); // kill -9: no leaving, no goodbye
    c.process().waitFor();
    long killed = System.nanoTime();
    Set<String> sawUnreachable = new TreeSet<>();
    within(
        bound,
        "the survivors remove the killed member within " + bound,
        () -> {
          boolean removed = true;
          for (NodeProcess survivor : List.of(a, b)) {
            ClusterView view = ClusterView.of(survivor);
            if (view.seesUnreachable(c)) sawUnreachable.add(view.self());
            removed &= view.allUp(List.of(a, b));
          }
          return removed;
        });
    Duration took =
        report("killed member removed, from the kill (expected ~" + expected + ")", killed);
    assertEquals(
        Set.of(a.clusterNode(), b.clusterNode()),
        sawUnreachable,
        "both survivors marked the killed member unreachable before removing it");
    assertTrue(
        took.compareTo(stableAfter) >= 0,
        "removed after " + took + ": the resolver waits stable-after (" + stableAfter + ") first");
  }

  @Test
  @Order(3)
  void aMemberStartedLaterJoinsAndBecomesUp() throws Exception {
    long started = System.nanoTime();
    // The same seed list: the killed member in it does not answer, the others do.
    d = cluster.start("d", NodeProcess.Ports.free(), Map.of(), "--seed", seeds);
    d.awaitReady(START);
    within(
        Duration.ofSeconds(30),
        "the late member is Up on every member",
        () -> allSee(List.of(a, b, d), List.of(a, b, d)));
    report("a fourth member Up on every member, from its launch", started);
  }

  @Test
  @Order(4)
  void aMemberStoppedWithSigtermLeavesAndIsRemovedWithoutBeingDowned() throws Exception {
    long stopped = System.nanoTime();
    b.process().destroy(); // SIGTERM
    Set<String> statusesSeen = new TreeSet<>();
    within(
        Duration.ofSeconds(30),
        "the others remove the member that left",
        () -> {
          boolean removed = true;
          for (NodeProcess other : List.of(a, d)) {
            ClusterView view = ClusterView.of(other);
            if (view.seesUnreachable(b)) statusesSeen.add("unreachable on " + view.self());
            String status = view.statusByNode().get(b.clusterNode());
            if (status != null) statusesSeen.add(status);
            removed &= view.allUp(List.of(a, d));
          }
          return removed;
        });
    report("member that got SIGTERM removed, from the signal", stopped);
    assertEquals(0, b.awaitExit(Duration.ofSeconds(60)), b.output());
    assertTrue(
        Set.of("Up", "Leaving", "Exiting").containsAll(statusesSeen),
        "it left (Leaving, Exiting), it was not downed or unreachable: " + statusesSeen);
    assertTrue(b.output().contains("Exiting completed"), b.output());
  }

  private static boolean allSee(List<NodeProcess> asked, List<NodeProcess> members)
      throws Exception {
    for (NodeProcess node : asked) {
      if (!ClusterView.of(node).allUp(members)) return false;
    }
    return true;
  }

  /** Polls {@code condition} until it holds; fails with every node's last log lines if not. */
  private void within(Duration bound, String what, Callable<Boolean> condition) {
    try {
      Awaitility.await(what).atMost(bound).pollInterval(POLL).ignoreExceptions().until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + cluster.logs(), e);
    }
  }

  /** Prints a measured duration to the test's output (target/failsafe-reports/*-output.txt). */
  private static Duration report(String what, long sinceNanos) {
    Duration took = Duration.ofNanos(System.nanoTime() - sinceNanos);
    System.out.printf("MEASURED %s: %.1f s%n", what, took.toMillis() / 1000.0);
    return took;
  }
}
