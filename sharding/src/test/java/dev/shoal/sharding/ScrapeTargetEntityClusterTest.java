package dev.shoal.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.shoal.pipeline.prometheus.ScrapeClients;
import dev.shoal.pipeline.prometheus.ScrapePhase;
import dev.shoal.pipeline.prometheus.ScrapeTarget;
import dev.shoal.pipeline.stream.Admission;
import dev.shoal.sharding.ScrapeTargetEntity.TargetStatus;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
import org.junit.jupiter.api.Timeout;

/**
 * ScrapeTargetEntity through real sharding on a one-member cluster, scraping a loopback server: the
 * desired set starts it, it scrapes on its phase and delivers, and leaving the set stops it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ScrapeTargetEntityClusterTest {
  private static final Config CONFIG =
      ConfigFactory.parseString(
          """
          pekko.actor.provider = cluster
          pekko.remote.artery.canonical.hostname = "127.0.0.1"
          pekko.remote.artery.canonical.port = 0
          pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
          pekko.actor.default-dispatcher.fork-join-executor.parallelism-max = 2
          pekko.cluster.distributed-data.notify-subscribers-interval = 100ms
          """);

  private static ActorTestKit testKit;
  private static HttpServer server;
  private static final List<Long> requestMillis = new CopyOnWriteArrayList<>();
  private static final Map<String, List<Long>> handOffHits = new ConcurrentHashMap<>();
  private static final List<ExportMetricsServiceRequest> delivered = new CopyOnWriteArrayList<>();
  private static final List<Set<String>> deliveredTo = new CopyOnWriteArrayList<>();
  private static ScrapeTargets targets;

  @BeforeAll
  static void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          requestMillis.add(System.currentTimeMillis());
          byte[] body =
              "# TYPE jobs_total counter\njobs_total 7\n".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.createContext(
        "/hand-off/",
        exchange -> {
          handOffHits
              .computeIfAbsent(
                  exchange.getRequestURI().getPath(), p -> new CopyOnWriteArrayList<>())
              .add(System.currentTimeMillis());
          byte[] body = "up_seconds 1\n".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    testKit = ActorTestKit.create("ScrapeTargetEntityClusterTest", CONFIG);
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          assertEquals(MemberStatus.up(), cluster.selfMember().status());
          return null;
        });
    targets =
        ScrapeTargets.init(
            testKit.system(),
            (target, result) -> {
              delivered.add((ExportMetricsServiceRequest) result.series().decode());
              deliveredTo.add(target.pipelines());
              return Admission.ACCEPTED;
            });
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    server.stop(0);
  }

  @Test
  void desiredTargetIsScrapedOnItsPhaseAndStopsWhenRemoved() throws Exception {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
    ScrapeTarget target = ScrapeTarget.staticTarget(url, Set.of("metrics"), Duration.ofSeconds(1));
    ScrapeTargets.Applied applied =
        targets
            .apply(List.of(target), Duration.ofSeconds(5))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertEquals(1, applied.desired());

    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(
        Duration.ofSeconds(15),
        Duration.ofMillis(200),
        () -> {
          assertTrue(delivered.size() >= 3, "scrapes delivered: " + delivered.size());
          return null;
        });
    assertEquals(Set.of("metrics"), deliveredTo.get(0));
    assertEquals(
        "jobs_total",
        delivered.get(0).getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getName());
    // Every scrape was scheduled exactly on the target's grid (the points carry the instant), and
    // the request went out within the interval after it (loose: the machine may be loaded).
    long phase = ScrapePhase.phaseMillis(url, Duration.ofSeconds(1));
    for (ExportMetricsServiceRequest r : delivered) {
      long instant =
          r.getResourceMetrics(0)
                  .getScopeMetrics(0)
                  .getMetrics(0)
                  .getSum()
                  .getDataPoints(0)
                  .getTimeUnixNano()
              / 1_000_000L;
      assertEquals(phase, Math.floorMod(instant, 1000L), "scheduled on the grid");
    }
    for (long at : requestMillis) {
      long offset = Math.floorMod(at - phase, 1000L);
      assertTrue(offset < 900, "a scrape " + offset + " ms after its instant");
    }

    TargetStatus status =
        targets.status(url, Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(status.configured());
    assertNull(status.lastFailure());
    assertTrue(status.scrapes() >= 3);
    assertEquals(1, status.lastSamples());

    ScrapeTargets.Applied removed =
        targets
            .apply(List.of(), Duration.ofSeconds(5))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertEquals(Set.of(url), removed.removed());
    Thread.sleep(500); // the Stop reaches the entity
    int afterStop = requestMillis.size();
    Thread.sleep(2500);
    assertEquals(afterStop, requestMillis.size(), "a removed target is not scraped any more");
  }

  @Test
  void aMovingTargetWhoseNextScrapeIsCloseScrapesItBeforeItGoes() throws Exception {
    // hand-off-wait 3 s >= the 2 s interval: the next instant is always close enough.
    List<Long> hits = handOffOnce("close", Duration.ofSeconds(3));
    // Exactly one scrape after the hand-off, at the next instant, then the entity is gone.
    assertEquals(1, hits.size(), "scrapes after the hand-off: " + hits);
  }

  @Test
  void aMovingTargetWhoseNextScrapeIsFarLetsGoAtOnce() throws Exception {
    List<Long> hits = handOffOnce("far", Duration.ZERO);
    assertEquals(List.of(), hits, "no scrape after the hand-off");
  }

  /**
   * Runs a target's entity outside sharding, waits for its first scrape, hands it off as sharding
   * does when the target moves, and returns the hits that came after: the entity must have stopped
   * within the interval plus the wait for its last scrape.
   */
  private List<Long> handOffOnce(String name, Duration handOffWait) throws Exception {
    String path = "/hand-off/" + name;
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + path;
    ScrapeTarget target = ScrapeTarget.staticTarget(url, Set.of("metrics"), Duration.ofSeconds(2));
    ScrapeTargetSettings settings =
        new ScrapeTargetSettings(
            Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(60), handOffWait);
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    ActorRef<ScrapeTargetEntity.Command> entity =
        testKit.spawn(
            ScrapeTargetEntity.create(
                url,
                shard.ref(),
                settings,
                new ScrapeClients(Runnable::run, Duration.ofSeconds(2)),
                (t, result) -> Admission.ACCEPTED));
    entity.tell(new ScrapeTargetEntity.Configure(target));
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(
        Duration.ofSeconds(10),
        Duration.ofMillis(50),
        () -> {
          assertTrue(handOffHits.getOrDefault(path, List.of()).size() >= 1, "a first scrape");
          return null;
        });
    Thread.sleep(300); // the first scrape's result is back: nothing in flight
    int before = handOffHits.get(path).size();
    entity.tell(ScrapeTargetEntity.HandOff.INSTANCE);
    probe.expectTerminated(entity, Duration.ofSeconds(6));
    Thread.sleep(2500); // one more interval: nothing scrapes it any more
    List<Long> all = handOffHits.get(path);
    return List.copyOf(all.subList(before, all.size()));
  }
}
