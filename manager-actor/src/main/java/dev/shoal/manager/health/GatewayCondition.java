package dev.shoal.manager.health;

import dev.shoal.manager.crd.Condition;
import dev.shoal.sharding.PipelineEntity.PipelineView;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code GatewayHealthy} condition of one pipeline: whether every cluster member that is Up
 * runs it, judged by which members report the pipeline's flow to its entity. A pure function.
 *
 * <ul>
 *   <li>{@code AllMembersReady} (True): every Up member reports the pipeline;
 *   <li>{@code RolloutInProgress} (False): some do not yet, but the pipeline's configuration
 *       changed less than the rollout grace ago, so they may still be starting it;
 *   <li>{@code SomeMembersNotReady} (False): some Up members have not reported it for longer.
 * </ul>
 */
public final class GatewayCondition {

  public static final String ALL_MEMBERS_READY = "AllMembersReady";
  public static final String SOME_MEMBERS_NOT_READY = "SomeMembersNotReady";
  public static final String ROLLOUT_IN_PROGRESS = "RolloutInProgress";

  private GatewayCondition() {}

  /**
   * @param view the pipeline's cluster-wide view, if the entity answered
   * @param upMembers the addresses of the members that are Up
   * @param sinceChanged how long ago this pipeline's configuration last changed
   * @param rolloutGrace how long members may take to start a changed pipeline
   */
  public static Condition of(
      Optional<PipelineView> view,
      Set<String> upMembers,
      Duration sinceChanged,
      Duration rolloutGrace,
      long generation,
      String time) {
    Set<String> missing = new TreeSet<>(upMembers);
    view.ifPresent(
        v ->
            v.members()
                .forEach(
                    (member, m) -> {
                      if (m.reporting()) missing.remove(member);
                    }));
    int running = upMembers.size() - missing.size();
    if (missing.isEmpty()) {
      return condition(
          Condition.TRUE,
          ALL_MEMBERS_READY,
          "All "
              + upMembers.size()
              + (upMembers.size() == 1 ? " member runs" : " members run")
              + " the pipeline.",
          generation,
          time);
    }
    String counts =
        running + " of " + upMembers.size() + " members run the pipeline; not yet: " + missing;
    if (sinceChanged.compareTo(rolloutGrace) < 0) {
      return condition(
          Condition.FALSE,
          ROLLOUT_IN_PROGRESS,
          counts + "; the pipeline's configuration changed recently, they are starting it.",
          generation,
          time);
    }
    return condition(
        Condition.FALSE,
        SOME_MEMBERS_NOT_READY,
        counts
            + ". Those members do not report the pipeline's flow; check their logs for the"
            + " pipeline's name and their /ready endpoint.",
        generation,
        time);
  }

  private static Condition condition(
      String status, String reason, String message, long generation, String time) {
    return new Condition(Condition.GATEWAY_HEALTHY, status, reason, message, time, generation);
  }
}
