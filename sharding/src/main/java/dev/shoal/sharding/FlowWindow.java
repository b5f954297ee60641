package dev.shoal.sharding;

import dev.shoal.sharding.PipelineEntity.Flow;
import dev.shoal.sharding.PipelineEntity.MemberView;
import dev.shoal.sharding.PipelineEntity.PipelineView;
import dev.shoal.sharding.PipelineEntity.Rates;
import dev.shoal.sharding.PipelineEntity.ReportStats;
import dev.shoal.sharding.PipelineEntity.StatsSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The windowed flow of one pipeline over all members, from the members' cumulative counters. Not
 * thread-safe: {@link PipelineEntity} owns it.
 *
 * <p>A member's first report is only its baseline: what it counted before cannot be placed in time.
 * Each later report adds the increase since the previous one, stamped with the time it was
 * received. A counter that went down means the member (or its pipeline) restarted and counted from
 * zero again; the whole new snapshot is then the increase, as Prometheus' {@code rate()} treats a
 * counter reset. Increments older than the window are forgotten, and so is a member whose last
 * report is.
 *
 * <p>Time is the entity's clock when a report arrives, so members' clocks need not agree; a
 * member's own timestamp only orders its reports (an older one than the last is ignored).
 */
final class FlowWindow {
  private final Duration window;
  private final Duration staleAfter;
  private final Map<String, MemberState> members = new TreeMap<>();

  FlowWindow(Duration window, Duration staleAfter) {
    this.window = window;
    this.staleAfter = staleAfter;
  }

  private static final class MemberState {
    final Instant firstReceived;
    StatsSnapshot last;
    Instant lastReported;
    Instant lastReceived;
    long queueUsedBytes;
    long queueCapacityBytes;
    final Deque<Increment> increments = new ArrayDeque<>();

    MemberState(ReportStats first, Instant now) {
      firstReceived = now;
      take(first, now);
    }

    void take(ReportStats report, Instant now) {
      last = report.snapshot();
      lastReported = report.at();
      lastReceived = now;
      queueUsedBytes = report.queueUsedBytes();
      queueCapacityBytes = report.queueCapacityBytes();
    }
  }

  private record Increment(Instant at, Flow flow) {}

  /**
   * Takes a member's report, received at {@code now}. Returns false when it was ignored because it
   * is older than the member's last one.
   */
  boolean record(ReportStats report, Instant now) {
    prune(now);
    MemberState member = members.get(report.member());
    if (member == null) {
      members.put(report.member(), new MemberState(report, now));
      return true;
    }
    if (!report.at().isAfter(member.lastReported)) return false;
    member.increments.addLast(new Increment(now, increase(member.last, report.snapshot())));
    member.take(report, now);
    return true;
  }

  /** What the counters rose by from {@code previous} to {@code current}, minding restarts. */
  static Flow increase(StatsSnapshot previous, StatsSnapshot current) {
    StatsSnapshot base = restarted(previous, current) ? StatsSnapshot.ZERO : previous;
    Map<String, Long> dropped = new TreeMap<>();
    current.dropped().forEach((reason, n) -> dropped.put(reason, n - base.dropped(reason)));
    return new Flow(
        current.received() - base.received(),
        current.accepted() - base.accepted(),
        current.refused() - base.refused(),
        current.exported() - base.exported(),
        dropped);
  }

  /** Whether any counter went down: they only do when their member or pipeline restarted. */
  static boolean restarted(StatsSnapshot previous, StatsSnapshot current) {
    if (current.received() < previous.received()
        || current.accepted() < previous.accepted()
        || current.refused() < previous.refused()
        || current.exported() < previous.exported()
        || current.exportedBatches() < previous.exportedBatches()) {
      return true;
    }
    Set<String> reasons = new HashSet<>(previous.dropped().keySet());
    reasons.addAll(current.dropped().keySet());
    for (String reason : reasons) {
      if (current.dropped(reason) < previous.dropped(reason)) return true;
    }
    return false;
  }

  PipelineView view(String pipeline, Instant now) {
    prune(now);
    Instant windowStart = now.minus(window);
    Instant observedSince = now;
    long received = 0;
    long accepted = 0;
    long refused = 0;
    long exported = 0;
    Map<String, Long> dropped = new TreeMap<>();
    Map<String, MemberView> memberViews = new LinkedHashMap<>();
    int reporting = 0;
    for (Map.Entry<String, MemberState> e : members.entrySet()) {
      MemberState m = e.getValue();
      if (m.firstReceived.isBefore(observedSince)) observedSince = m.firstReceived;
      for (Increment inc : m.increments) {
        received += inc.flow().received();
        accepted += inc.flow().accepted();
        refused += inc.flow().refused();
        exported += inc.flow().exported();
        inc.flow().dropped().forEach((reason, n) -> dropped.merge(reason, n, Long::sum));
      }
      boolean recent = m.lastReceived.isAfter(now.minus(staleAfter));
      if (recent) reporting++;
      double fill =
          m.queueCapacityBytes > 0 ? (double) m.queueUsedBytes / m.queueCapacityBytes : 0.0;
      memberViews.put(
          e.getKey(),
          new MemberView(m.lastReported, recent, m.queueUsedBytes, m.queueCapacityBytes, fill));
    }
    Duration covered =
        Duration.between(observedSince.isAfter(windowStart) ? observedSince : windowStart, now);
    double seconds = covered.toNanos() / 1e9;
    Map<String, Double> droppedRates = new TreeMap<>();
    dropped.forEach((reason, n) -> droppedRates.put(reason, perSecond(n, seconds)));
    return new PipelineView(
        pipeline,
        now,
        window,
        covered,
        reporting,
        memberViews,
        new Flow(received, accepted, refused, exported, dropped),
        new Rates(
            perSecond(received, seconds),
            perSecond(accepted, seconds),
            perSecond(refused, seconds),
            perSecond(exported, seconds),
            droppedRates));
  }

  private static double perSecond(long items, double seconds) {
    return seconds > 0 ? items / seconds : 0.0;
  }

  /** Forgets increments older than the window, and members whose last report is. */
  private void prune(Instant now) {
    Instant windowStart = now.minus(window);
    Iterator<MemberState> it = members.values().iterator();
    while (it.hasNext()) {
      MemberState m = it.next();
      if (!m.lastReceived.isAfter(windowStart)) {
        it.remove();
        continue;
      }
      while (!m.increments.isEmpty() && !m.increments.peekFirst().at().isAfter(windowStart)) {
        m.increments.removeFirst();
      }
    }
  }
}
