package dev.shoal.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.shoal.sharding.PipelineEntity.PipelineView;
import dev.shoal.sharding.PipelineEntity.ReportStats;
import dev.shoal.sharding.PipelineEntity.StatsSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PipelineEntity through real sharding, on a cluster of one member. */
class PipelineEntityClusterTest {
  private static final Config CONFIG =
      ConfigFactory.parseString(
          """
          pekko.actor.provider = cluster
          pekko.remote.artery.canonical.hostname = "127.0.0.1"
          pekko.remote.artery.canonical.port = 0
          pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
          pekko.actor.default-dispatcher.fork-join-executor.parallelism-max = 2
          """);

  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("PipelineEntityClusterTest", CONFIG);
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          assertEquals(MemberStatus.up(), cluster.selfMember().status());
          return null;
        });
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static ReportStats report(String member, long received, long used, Instant at) {
    return new ReportStats(
        member,
        "traces",
        new StatsSnapshot(received, received, 0, received, 1, Map.of("queue_full", 0L)),
        used,
        1000,
        at);
  }

  @Test
  void twoMembersReportAndTheViewSumsThem() {
    PipelineSharding sharding = PipelineSharding.init(testKit.system());
    Instant t = Instant.now();
    sharding.report(report("member-a", 100, 0, t));
    sharding.report(report("member-b", 1000, 0, t));
    sharding.report(report("member-a", 150, 500, t.plusMillis(1)));
    sharding.report(report("member-b", 1200, 100, t.plusMillis(1)));

    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(
        Duration.ofSeconds(10),
        Duration.ofMillis(100),
        () -> {
          PipelineView view =
              sharding.view("traces", Duration.ofSeconds(3)).toCompletableFuture().join();
          assertEquals("traces", view.pipeline());
          assertEquals(2, view.membersReporting());
          assertEquals(250, view.inWindow().received());
          assertEquals(250, view.inWindow().exported());
          assertEquals(0.5, view.members().get("member-a").queueFill(), 1e-9);
          assertEquals(0.1, view.members().get("member-b").queueFill(), 1e-9);
          assertTrue(view.perSecond().received() > 0);
          return null;
        });
  }

  @Test
  void aPipelineNobodyReportedHasAnEmptyView() {
    PipelineSharding sharding = PipelineSharding.init(testKit.system());
    PipelineView view =
        sharding.view("nobody-reports", Duration.ofSeconds(10)).toCompletableFuture().join();
    assertEquals(0, view.membersReporting());
    assertEquals(Map.of(), view.members());
    assertEquals(0, view.inWindow().received());
  }

  @Test
  void anEntityWithoutReportsAsksItsShardToPassivateIt() {
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    PipelineEntitySettings settings =
        new PipelineEntitySettings(
            Duration.ofMillis(100),
            Duration.ofSeconds(2),
            Duration.ofMillis(300),
            Duration.ofMillis(1000));
    ActorRef<PipelineEntity.Command> entity =
        testKit.spawn(PipelineEntity.create("idle", shard.ref(), settings, Clock.systemUTC()));
    Instant t = Instant.now();
    for (int i = 0; i < 5; i++) {
      entity.tell(new ReportStats("m", "idle", StatsSnapshot.ZERO, 0, 1, t.plusMillis(i)));
      // Reports keep it alive.
      shard.expectNoMessage(Duration.ofMillis(200));
    }
    ClusterSharding.ShardCommand passivate =
        shard.expectMessageClass(ClusterSharding.Passivate.class, Duration.ofSeconds(3));
    assertEquals(entity, ((ClusterSharding.Passivate<?>) passivate).entity());
  }
}
