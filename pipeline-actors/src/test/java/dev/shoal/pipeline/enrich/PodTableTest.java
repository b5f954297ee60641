package dev.shoal.pipeline.enrich;

import static dev.shoal.pipeline.enrich.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cache's grace period for deleted and finished pods, and IPs handed from one pod to another.
 */
class PodTableTest {
  private static final long SECOND = 1_000_000_000L;
  private final EnrichmentSettings settings = TestPods.settings();
  private final PodTable table = new PodTable(Duration.ofSeconds(10));

  private PodMetadata running(String uid, String ip) {
    return TestPods.metadata(pod("ns", "pod-" + uid, uid, ip, null, null, Map.of()), settings);
  }

  @Test
  void aDeletedPodStaysForTheGracePeriodThenGoes() {
    table.podUpserted(running("a", "10.0.0.1"), 0);
    table.podDeleted("a", 5 * SECOND);
    table.expire(14 * SECOND);
    MetadataSnapshot during = table.snapshot();
    assertEquals("pod-a", during.podByUid("a").name());
    assertEquals("pod-a", during.podByIp("10.0.0.1").name());
    assertFalse(table.changed());
    table.expire(15 * SECOND);
    assertTrue(table.changed());
    MetadataSnapshot after = table.snapshot();
    assertNull(after.podByUid("a"));
    assertNull(after.podByIp("10.0.0.1"));
    assertEquals(0, table.size(), "forgotten");
  }

  @Test
  void anIpGivenToANewPodWithinTheGracePeriodFindsNeitherUntilTheOldOneGoes() {
    table.podUpserted(running("old", "10.0.0.2"), 0);
    table.podDeleted("old", SECOND);
    table.podUpserted(running("new", "10.0.0.2"), 2 * SECOND);
    assertNull(table.snapshot().podByIp("10.0.0.2"), "two pods had this IP: no guess");
    assertEquals("pod-old", table.snapshot().podByUid("old").name(), "by UID still found");
    table.expire(11 * SECOND);
    assertEquals("pod-new", table.snapshot().podByIp("10.0.0.2").name());
  }

  @Test
  void aFinishedPodLeavesAfterTheGracePeriodButItsDeletionIsStillHandled() {
    table.podUpserted(running("job", "10.0.0.3"), 0);
    Pod done = pod("ns", "pod-job", "job", "10.0.0.3", null, null, Map.of());
    done.getStatus().setPhase("Succeeded");
    table.podUpserted(TestPods.metadata(done, settings), 3 * SECOND);
    table.expire(12 * SECOND);
    assertEquals("pod-job", table.snapshot().podByIp("10.0.0.3").name());
    table.expire(13 * SECOND);
    assertNull(table.snapshot().podByUid("job"));
    table.podUpserted(TestPods.metadata(done, settings), 14 * SECOND);
    assertFalse(table.changed(), "an update of a pod out of its grace changes nothing");
    table.podDeleted("job", 15 * SECOND);
    assertEquals(0, table.size());
  }

  @Test
  void ownersAreReplacedAndRemoved() {
    table.replicaSetOwner("ns", "rs", "deploy");
    table.jobOwner("ns", "job", "cron");
    MetadataSnapshot s = table.snapshot();
    assertEquals("deploy", s.deploymentOf("ns", "rs"));
    assertEquals("cron", s.cronJobOf("ns", "job"));
    table.replicaSetOwner("ns", "rs", null);
    assertTrue(table.changed());
    assertNull(table.snapshot().deploymentOf("ns", "rs"));
    assertEquals("deploy", s.deploymentOf("ns", "rs"), "an older snapshot does not change");
  }

  @Test
  void theExpiryTickIsAQuarterOfTheGraceWithinBounds() {
    assertEquals(Duration.ofSeconds(5), MetadataCache.expireInterval(Duration.ofMinutes(2)));
    assertEquals(Duration.ofMillis(500), MetadataCache.expireInterval(Duration.ofSeconds(2)));
    assertEquals(Duration.ofMillis(100), MetadataCache.expireInterval(Duration.ofMillis(100)));
  }
}
