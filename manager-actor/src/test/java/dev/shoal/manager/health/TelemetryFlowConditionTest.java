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
import dev.shoal.sharding.PipelineEntity.PipelineView;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TelemetryFlowConditionTest {
  static final String TIME = "2026-12-04T12:00:00Z";

  static Condition of(PipelineView view) {
    return TelemetryFlowCondition.of(Optional.of(view), 0.8, 3, TIME);
  }

  @Test
  void noViewOrNoMemberIsNoDataYetUnknown() {
    Condition none = TelemetryFlowCondition.of(Optional.empty(), 0.8, 3, TIME);
    assertEquals(Condition.TELEMETRY_FLOW_HEALTHY, none.getType());
    assertEquals(Condition.UNKNOWN, none.getStatus());
    assertEquals("NoDataYet", none.getReason());
    assertEquals(3L, none.getObservedGeneration());
    assertEquals(TIME, none.getLastTransitionTime());
    assertEquals("NoDataYet", of(view(flow(0, 0, Map.of()), Map.of())).getReason());
  }

  @Test
  void dropsWithoutExportsAreAllDropped() {
    Condition c = of(view(flow(0, 5, Map.of("retries_exhausted", 40L)), Map.of(A, member(0.9))));
    assertEquals(Condition.FALSE, c.getStatus());
    assertEquals("AllTelemetryDataDropped", c.getReason());
    assertTrue(
        c.getMessage()
            .contains("items were dropped (retries_exhausted) and none exported in the last 60 s"),
        c.getMessage());
  }

  @Test
  void dropsBesideExportsAreSomeDropped_beforeBufferAndThrottling() {
    Condition c =
        of(view(flow(100, 5, Map.of("queue_full", 3L, "rejected", 0L)), Map.of(A, member(0.95))));
    assertEquals(Condition.FALSE, c.getStatus());
    assertEquals("SomeTelemetryDataDropped", c.getReason());
    assertTrue(c.getMessage().contains("items were dropped (queue_full) while the rest"));
  }

  @Test
  void aMemberQueueAboveTheThresholdIsBufferFillingUp_beforeThrottling() {
    Condition c = of(view(flow(100, 5, Map.of()), Map.of(A, member(0.5), B, member(0.85))));
    assertEquals(Condition.FALSE, c.getStatus());
    assertEquals("BufferFillingUp", c.getReason());
    assertTrue(c.getMessage().contains("80 % full on " + B + ":"), c.getMessage());
    assertTrue(!c.getMessage().contains(A), c.getMessage());
  }

  @Test
  void exactlyAtTheThresholdOrOnAStaleMemberIsNotFillingUp() {
    assertEquals("FlowHealthy", of(view(flow(1, 0, Map.of()), Map.of(A, member(0.8)))).getReason());
    assertEquals(
        "FlowHealthy",
        of(view(flow(1, 0, Map.of()), Map.of(A, member(0.1), B, stale()))).getReason());
  }

  @Test
  void refusalsAreThrottling() {
    Condition c = of(view(flow(100, 7, Map.of()), Map.of(A, member(0.1))));
    assertEquals(Condition.FALSE, c.getStatus());
    assertEquals("GatewayThrottling", c.getReason());
    assertTrue(c.getMessage().startsWith("Requests were refused"), c.getMessage());
  }

  @Test
  void otherwiseFlowHealthy_evenWhenIdle() {
    Condition busy = of(view(flow(100, 0, Map.of()), Map.of(A, member(0.1), B, member(0))));
    assertEquals(Condition.TRUE, busy.getStatus());
    assertEquals("FlowHealthy", busy.getReason());
    assertTrue(busy.getMessage().equals("No problems detected in the last 60 s."));
    assertEquals("FlowHealthy", of(view(flow(0, 0, Map.of()), Map.of(A, member(0)))).getReason());
  }
}
