package dev.shoal.manager.health;

import dev.shoal.sharding.PipelineEntity.Flow;
import dev.shoal.sharding.PipelineEntity.MemberView;
import dev.shoal.sharding.PipelineEntity.PipelineView;
import dev.shoal.sharding.PipelineEntity.Rates;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Views of a pipeline as its entity would answer them, for the condition tests. */
final class ViewFixtures {
  static final String A = "pekko://shoal@10.0.0.1:25520";
  static final String B = "pekko://shoal@10.0.0.2:25520";
  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  private ViewFixtures() {}

  /** A member reporting, its queue filled to {@code fill}. */
  static MemberView member(double fill) {
    return new MemberView(NOW, true, (long) (fill * 1000), 1000, fill);
  }

  static MemberView stale() {
    return new MemberView(NOW.minusSeconds(40), false, 0, 1000, 0);
  }

  static PipelineView view(Flow flow, Map<String, MemberView> members) {
    int reporting = (int) members.values().stream().filter(MemberView::reporting).count();
    return new PipelineView(
        "tracepipeline/backend",
        NOW,
        Duration.ofSeconds(60),
        Duration.ofSeconds(60),
        reporting,
        new LinkedHashMap<>(members),
        flow,
        new Rates(0, 0, 0, 0, Map.of()));
  }

  static Flow flow(long exported, long refused, Map<String, Long> dropped) {
    return new Flow(exported + refused, exported, refused, exported, dropped);
  }
}
