package dev.shoal.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.node.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Sharded scraping across real member processes: 36 static targets, served by one loopback server
 * in the test that logs every hit with the scraping member, are each scraped by exactly one member
 * once per instant of the target's grid; they spread evenly; after {@code kill -9} of a member its
 * targets are scraped by the survivors within the documented failover time plus one interval; a
 * member that joins takes its share with no instant skipped and none scraped twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScrapeShardingIT {
  private static final int TARGETS = 36;
  private static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final Duration START = Duration.ofSeconds(90);

  /**
   * docs/operations.md: a killed member's shards start elsewhere about 21 s after it died (failure
   * detection, split-brain resolver, down-removal-margin); 9 s more for a loaded machine.
   */
  private static final Duration FAILOVER = Duration.ofSeconds(30);

  private static final Pattern ENTITIES = Pattern.compile("\"numEntities\":(\\d+)");
  private static final Pattern GAUGE =
      Pattern.compile("^shoal_scrape_targets (\\S+)$", Pattern.MULTILINE);

  private ScrapeHitLog targets;
  private SinkInThisJvm sink;
  private LocalCluster cluster;
  private Path pipelines;
  private String seeds;
  private final List<NodeProcess> members = new ArrayList<>();

  @BeforeAll
  void startTargetsAndThreeMembers() throws Exception {
    targets = new ScrapeHitLog(TARGETS, INTERVAL);
    sink = SinkInThisJvm.start("scrape-sink");
    cluster = new LocalCluster("scrape");
    pipelines = Files.createDirectories(cluster.dir().resolve("pipelines"));
    writeMetricPipeline();
    NodeProcess.Ports pa = NodeProcess.Ports.free();
    NodeProcess.Ports pb = NodeProcess.Ports.free();
    NodeProcess.Ports pc = NodeProcess.Ports.free();
    seeds = String.join(",", pa.clusterAddress(), pb.clusterAddress(), pc.clusterAddress());
    members.add(start("a", pa));
    members.add(start("b", pb));
    members.add(start("c", pc));
    for (NodeProcess node : members) node.awaitReady(START);
    cluster.awaitAllUp(members, START);
  }

  @AfterAll
  void stopAll() throws Exception {
    try {
      if (cluster != null) cluster.close();
    } finally {
      try {
        if (sink != null) sink.close();
      } finally {
        if (targets != null) targets.close();
      }
    }
  }

  @Test
  @Order(1)
  void everyTargetIsScrapedOncePerInstantByOneMemberAndTheTargetsAreBalanced() throws Exception {
    within(
        Duration.ofSeconds(90),
        "36 targets spread over the 3 members (max/min <= 2), each scraped",
        () -> balanced(members) && targets.allHit(0, 1));
    long from = System.currentTimeMillis();
    TimeUnit.MILLISECONDS.sleep(3 * INTERVAL.toMillis() + 1000);
    long to = System.currentTimeMillis();
    assertTrue(targets.allHit(from, 3), "every target scraped on each of 3 instants");
    assertNoProblems(from, to, "steady state");
    System.out.printf(
        "MEASURED scrape targets per member (/cluster/shards/ScrapeTarget): %s%n",
        perMember(members));
    for (NodeProcess node : members) {
      assertEquals(
          entities(node), gauge(node), "/metrics shoal_scrape_targets on " + node.clusterNode());
    }
  }

  @Test
  @Order(2)
  void theTargetsOfAKilledMemberAreScrapedAgainWithinTheFailoverTimePlusOneInterval()
      throws Exception {
    NodeProcess killed = members.get(2);
    String port = ":" + killed.ports().cluster();
    List<Integer> orphans = new ArrayList<>();
    for (int i = 0; i < TARGETS; i++) {
      ScrapeHitLog.Hit last = targets.last(i);
      if (last != null && last.userAgent().contains(port)) orphans.add(i);
    }
    assertFalse(orphans.isEmpty(), "the member to kill scrapes targets");
    long killedAt = System.currentTimeMillis();
    killed.process().destroyForcibly();
    killed.process().waitFor(30, TimeUnit.SECONDS);
    members.remove(killed);

    Duration bound = FAILOVER.plus(INTERVAL);
    within(
        bound.plusSeconds(10),
        "every orphaned target is scraped by a survivor",
        () -> orphans.stream().allMatch(t -> !targets.hits(t, killedAt).isEmpty()));
    long latest = 0;
    for (int t : orphans) {
      long first = targets.hits(t, killedAt).get(0).millis() - killedAt;
      latest = Math.max(latest, first);
    }
    System.out.printf(
        "MEASURED kill -9 -> all %d orphaned targets scraped again: %.1f s (interval %d s)%n",
        orphans.size(), latest / 1000.0, INTERVAL.toSeconds());
    assertTrue(
        latest <= bound.toMillis(),
        "orphans scraped again " + latest + " ms after the kill; bound " + bound);

    within(
        Duration.ofSeconds(60),
        "the survivors hold all 36 targets, balanced",
        () -> balanced(members));
    TimeUnit.MILLISECONDS.sleep(INTERVAL.toMillis() + 1000);
    long to = System.currentTimeMillis();
    // The survivors' own targets never missed an instant; no target was scraped twice.
    for (int t = 0; t < TARGETS; t++) {
      List<String> problems = targets.problems(t, killedAt, to);
      if (orphans.contains(t)) {
        problems = problems.stream().filter(p -> p.contains("twice")).toList();
      }
      assertEquals(List.of(), problems, cluster.logs());
    }
  }

  @Test
  @Order(3)
  void aMemberThatJoinsTakesItsShareWithNoInstantSkippedOrScrapedTwice() throws Exception {
    long joinedAt = System.currentTimeMillis();
    NodeProcess d = start("d", NodeProcess.Ports.free());
    members.add(d);
    d.awaitReady(START);
    String port = ":" + d.ports().cluster();
    within(
        Duration.ofSeconds(90),
        "the new member scrapes its share, balanced",
        () -> balanced(members) && entities(d) > 0 && anyScrapedBy(port, joinedAt));
    TimeUnit.MILLISECONDS.sleep(INTERVAL.toMillis() + 1000);
    long to = System.currentTimeMillis();
    System.out.printf(
        "MEASURED after a 4th member joined, targets per member: %s%n", perMember(members));
    assertNoProblems(joinedAt, to, "a member joined");
  }

  private boolean anyScrapedBy(String port, long since) {
    for (int t = 0; t < TARGETS; t++) {
      if (targets.hits(t, since).stream().anyMatch(h -> h.userAgent().contains(port))) return true;
    }
    return false;
  }

  private void assertNoProblems(long from, long to, String when) {
    List<String> problems = new ArrayList<>();
    for (int t = 0; t < TARGETS; t++) problems.addAll(targets.problems(t, from, to));
    assertEquals(List.of(), problems, when + cluster.logs());
  }

  /** All targets live on the members, and the most loaded holds at most twice the least. */
  private static boolean balanced(List<NodeProcess> nodes) throws Exception {
    Map<String, Integer> per = perMember(nodes);
    int sum = per.values().stream().mapToInt(Integer::intValue).sum();
    int max = per.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    int min = per.values().stream().mapToInt(Integer::intValue).min().orElse(0);
    return sum == TARGETS && min > 0 && max <= 2 * min;
  }

  private static Map<String, Integer> perMember(List<NodeProcess> nodes) throws Exception {
    Map<String, Integer> per = new LinkedHashMap<>();
    for (NodeProcess node : nodes) per.put(node.clusterNode(), entities(node));
    return per;
  }

  /** The ScrapeTarget entities on one member, as its {@code /cluster/shards} shows them. */
  private static int entities(NodeProcess node) throws Exception {
    String body = node.getManagement("/cluster/shards/ScrapeTarget").body();
    Matcher m = ENTITIES.matcher(body);
    int sum = 0;
    while (m.find()) sum += Integer.parseInt(m.group(1));
    return sum;
  }

  private static int gauge(NodeProcess node) throws Exception {
    Matcher m = GAUGE.matcher(node.getManagement("/metrics").body());
    return m.find() ? (int) Double.parseDouble(m.group(1)) : -1;
  }

  private NodeProcess start(String name, NodeProcess.Ports ports) throws Exception {
    return cluster.start(
        name, ports, Map.of(), "--seed", seeds, "--pipelines", pipelines.toString());
  }

  /** One MetricPipeline scraping every target every 5 s, exporting to the sink. */
  private void writeMetricPipeline() throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            String.join(
                "\n",
                "apiVersion: telemetry.shoal.dev/v1beta1",
                "kind: MetricPipeline",
                "metadata:",
                "  name: scraped",
                "spec:",
                "  input:",
                "    prometheus:",
                "      enabled: true",
                "      interval: " + INTERVAL.toSeconds() + "s",
                "      staticTargets:",
                ""));
    for (String url : targets.urls()) yaml.append("        - ").append(url).append('\n');
    yaml.append(
        String.join(
            "\n",
            "  output:",
            "    otlp:",
            "      protocol: grpc",
            "      endpoint:",
            "        value: http://127.0.0.1:" + sink.backend().grpcPort(),
            ""));
    Files.writeString(pipelines.resolve("scraped.yaml"), yaml.toString());
  }

  private void within(Duration bound, String what, Callable<Boolean> condition) {
    try {
      Awaitility.await(what)
          .atMost(bound)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + cluster.logs(), e);
    }
  }
}
