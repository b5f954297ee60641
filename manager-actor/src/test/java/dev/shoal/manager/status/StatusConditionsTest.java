package dev.shoal.manager.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.manager.crd.Condition;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusConditionsTest {

  static Condition c(String type, String status, String reason, String message, String time) {
    return new Condition(type, status, reason, message, time, 1L);
  }

  @Test
  void sameStatusAndReasonKeepTheTransitionTime_evenWithAnotherMessage() {
    List<Condition> current =
        List.of(
            c("TelemetryFlowHealthy", "True", "FlowHealthy", "10 items", "2026-01-01T00:00:00Z"));
    List<Condition> merged =
        StatusConditions.merge(
            current,
            List.of(
                c(
                    "TelemetryFlowHealthy",
                    "True",
                    "FlowHealthy",
                    "12 items",
                    "2026-02-02T00:00:00Z")));
    assertEquals("2026-01-01T00:00:00Z", merged.get(0).getLastTransitionTime());
    assertEquals("12 items", merged.get(0).getMessage());
    assertTrue(StatusConditions.changes(current, merged), "the message changed");
  }

  @Test
  void anotherReasonTakesTheNewTime() {
    List<Condition> current =
        List.of(c("TelemetryFlowHealthy", "True", "FlowHealthy", "m", "2026-01-01T00:00:00Z"));
    List<Condition> merged =
        StatusConditions.merge(
            current,
            List.of(
                c(
                    "TelemetryFlowHealthy",
                    "False",
                    "AllTelemetryDataDropped",
                    "m",
                    "2026-02-02T00:00:00Z")));
    assertEquals("2026-02-02T00:00:00Z", merged.get(0).getLastTransitionTime());
  }

  @Test
  void nothingNewIsNoChange() {
    List<Condition> current =
        List.of(
            c(
                "ConfigurationGenerated",
                "True",
                "ConfigurationApplied",
                "ok",
                "2026-01-01T00:00:00Z"),
            c("GatewayHealthy", "True", "AllMembersReady", "all", "2026-01-01T00:00:00Z"));
    List<Condition> merged =
        StatusConditions.merge(
            current,
            List.of(
                c(
                    "ConfigurationGenerated",
                    "True",
                    "ConfigurationApplied",
                    "ok",
                    "2026-03-03T00:00:00Z"),
                c("GatewayHealthy", "True", "AllMembersReady", "all", "2026-03-03T00:00:00Z")));
    assertFalse(StatusConditions.changes(current, merged));
    assertTrue(StatusConditions.changes(null, merged));
  }
}
