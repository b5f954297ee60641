package dev.shoal.manager.health;

import static dev.shoal.manager.health.ViewFixtures.A;
import static dev.shoal.manager.health.ViewFixtures.B;
import static dev.shoal.manager.health.ViewFixtures.flow;
import static dev.shoal.manager.health.ViewFixtures.member;
import static dev.shoal.manager.health.ViewFixtures.stale;
import static dev.shoal.manager.health.ViewFixtures.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.manager.crd.Condition;
import dev.shoal.sharding.PipelineEntity.MemberView;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GatewayConditionTest {
  static final Duration GRACE = Duration.ofSeconds(30);

  static Condition of(Map<String, MemberView> members, Set<String> up, Duration sinceChanged) {
    return GatewayCondition.of(
        Optional.of(view(flow(1, 0, Map.of()), members)), up, sinceChanged, GRACE, 2, "t");
  }

  @Test
  void everyUpMemberReportingIsAllMembersReady() {
    Condition c = of(Map.of(A, member(0), B, member(0)), Set.of(A, B), Duration.ofMinutes(5));
    assertEquals(Condition.GATEWAY_HEALTHY, c.getType());
    assertEquals(Condition.TRUE, c.getStatus());
    assertEquals("AllMembersReady", c.getReason());
    assertEquals("All 2 members run the pipeline.", c.getMessage());
    assertEquals(2L, c.getObservedGeneration());
  }

  @Test
  void aMemberThatLeftButStillShowsInTheViewDoesNotCount() {
    Condition c = of(Map.of(A, member(0), B, member(0)), Set.of(A), Duration.ofMinutes(5));
    assertEquals("AllMembersReady", c.getReason());
  }

  @Test
  void anUpMemberNotReportingSoonAfterAChangeIsARollout() {
    Condition c = of(Map.of(A, member(0)), Set.of(A, B), Duration.ofSeconds(10));
    assertEquals(Condition.FALSE, c.getStatus());
    assertEquals("RolloutInProgress", c.getReason());
    assertTrue(c.getMessage().startsWith("1 of 2 members run the pipeline; not yet: [" + B + "]"));
  }

  @Test
  void anUpMemberNotReportingLaterIsSomeMembersNotReady() {
    Condition stale = of(Map.of(A, member(0), B, stale()), Set.of(A, B), Duration.ofMinutes(5));
    assertEquals(Condition.FALSE, stale.getStatus());
    assertEquals("SomeMembersNotReady", stale.getReason());
    Condition noView =
        GatewayCondition.of(Optional.empty(), Set.of(A), Duration.ofMinutes(5), GRACE, 2, "t");
    assertEquals("SomeMembersNotReady", noView.getReason());
    assertTrue(noView.getMessage().startsWith("0 of 1 members"), noView.getMessage());
  }
}
