package dev.shoal.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.output.DropReason;
import dev.shoal.pipeline.stream.PipelineCounters;
import dev.shoal.sharding.PipelineEntity.PipelineView;
import dev.shoal.sharding.PipelineEntity.ReportStats;
import dev.shoal.sharding.PipelineEntity.StatsSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowWindowTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration WINDOW = Duration.ofSeconds(60);
  private static final Duration STALE = Duration.ofSeconds(15);

  private final FlowWindow window = new FlowWindow(WINDOW, STALE);

  private static StatsSnapshot counts(long received, long exported, Map<String, Long> dropped) {
    return new StatsSnapshot(received, received, 0, exported, exported / 10, dropped);
  }

  private static ReportStats report(String member, int second, StatsSnapshot s) {
    return new ReportStats(member, "p", s, 100, 1000, T0.plusSeconds(second));
  }

  private void record(String member, int second, StatsSnapshot s) {
    assertTrue(window.record(report(member, second, s), T0.plusSeconds(second)));
  }

  @Test
  void firstReportIsOnlyABaseline() {
    record("a", 0, counts(1_000_000, 1_000_000, Map.of()));
    PipelineView view = window.view("p", T0.plusSeconds(1));
    assertEquals(0, view.inWindow().received());
    assertEquals(0.0, view.perSecond().received());
    assertEquals(1, view.membersReporting());
  }

  @Test
  void ratesAreTheMembersIncreasesOverTheTimeObserved() {
    record("a", 0, counts(100, 100, Map.of("queue_full", 0L)));
    record("b", 0, counts(5000, 4000, Map.of()));
    record("a", 5, counts(600, 500, Map.of("queue_full", 50L)));
    record("b", 5, counts(5500, 4500, Map.of("rejected", 10L)));
    record("a", 10, counts(1100, 1000, Map.of("queue_full", 100L)));

    PipelineView view = window.view("p", T0.plusSeconds(10));
    assertEquals(Duration.ofSeconds(10), view.covered());
    assertEquals(1500, view.inWindow().received());
    assertEquals(1400, view.inWindow().exported());
    assertEquals(Map.of("queue_full", 100L, "rejected", 10L), view.inWindow().dropped());
    assertEquals(150.0, view.perSecond().received(), 1e-9);
    assertEquals(140.0, view.perSecond().exported(), 1e-9);
    assertEquals(10.0, view.perSecond().dropped().get("queue_full"), 1e-9);
    assertEquals(2, view.membersReporting());
  }

  @Test
  void increasesOlderThanTheWindowAreForgotten() {
    for (int s = 0; s <= 120; s += 5) record("a", s, counts(s * 10L, s * 10L, Map.of()));
    PipelineView view = window.view("p", T0.plusSeconds(120));
    assertEquals(WINDOW, view.covered());
    // Increments at 65..120 s: 12 reports of 50 items each.
    assertEquals(600, view.inWindow().received());
    assertEquals(10.0, view.perSecond().received(), 1e-9);
  }

  @Test
  void aCounterThatWentDownMeansARestartCountedFromZero() {
    record("a", 0, counts(1000, 1000, Map.of("shutdown", 5L)));
    record("a", 5, counts(1200, 1200, Map.of("shutdown", 5L)));
    // The member restarted and counted 30 items since.
    record("a", 10, counts(30, 20, Map.of("shutdown", 0L)));
    PipelineView view = window.view("p", T0.plusSeconds(10));
    assertEquals(230, view.inWindow().received());
    assertEquals(220, view.inWindow().exported());
    assertEquals(0L, view.inWindow().dropped().get("shutdown"));
  }

  @Test
  void aDropCounterGoingDownAloneIsARestartToo() {
    StatsSnapshot before = counts(10, 10, Map.of("rejected", 7L));
    assertTrue(FlowWindow.restarted(before, counts(20, 20, Map.of("rejected", 1L))));
    assertTrue(FlowWindow.restarted(before, counts(20, 20, Map.of())));
    assertFalse(FlowWindow.restarted(before, counts(20, 20, Map.of("rejected", 7L))));
  }

  @Test
  void anOlderReportThanTheLastIsIgnored() {
    record("a", 0, counts(0, 0, Map.of()));
    record("a", 10, counts(100, 100, Map.of()));
    assertFalse(window.record(report("a", 5, counts(50, 50, Map.of())), T0.plusSeconds(11)));
    assertEquals(100, window.view("p", T0.plusSeconds(11)).inWindow().received());
  }

  @Test
  void silentMembersTurnStaleThenLeaveTheView() {
    record("a", 0, counts(0, 0, Map.of()));
    record("b", 0, counts(0, 0, Map.of()));
    for (int s = 5; s <= 20; s += 5) record("a", s, counts(s, s, Map.of()));

    PipelineView at20 = window.view("p", T0.plusSeconds(20));
    assertEquals(1, at20.membersReporting());
    assertTrue(at20.members().get("a").reporting());
    assertFalse(at20.members().get("b").reporting());

    for (int s = 25; s <= 70; s += 5) record("a", s, counts(s, s, Map.of()));
    PipelineView at70 = window.view("p", T0.plusSeconds(70));
    assertEquals(Map.of("a", at70.members().get("a")), at70.members());
  }

  @Test
  void queueFillIsPerMember() {
    window.record(new ReportStats("a", "p", StatsSnapshot.ZERO, 250, 1000, T0), T0);
    window.record(new ReportStats("b", "p", StatsSnapshot.ZERO, 0, 0, T0), T0);
    PipelineView view = window.view("p", T0);
    assertEquals(0.25, view.members().get("a").queueFill(), 1e-9);
    assertEquals(0.0, view.members().get("b").queueFill(), 1e-9);
    assertEquals(250, view.members().get("a").queueUsedBytes());
  }

  @Test
  void aSnapshotCarriesEveryDropReasonByLabel() {
    StatsSnapshot s = StatsSnapshot.of(new PipelineCounters().snapshot());
    assertEquals(DropReason.values().length, s.dropped().size());
    assertEquals(0L, s.dropped(DropReason.RETRIES_EXHAUSTED.label()));
  }
}
