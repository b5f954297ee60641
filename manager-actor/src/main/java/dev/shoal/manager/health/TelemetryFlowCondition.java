package dev.shoal.manager.health;

import dev.shoal.manager.crd.Condition;
import dev.shoal.sharding.PipelineEntity.Flow;
import dev.shoal.sharding.PipelineEntity.PipelineView;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code TelemetryFlowHealthy} condition of one pipeline, from its cluster-wide view ({@link
 * PipelineView}: the counters of every member over the entity's window). A pure function.
 *
 * <p>All counts are items (spans, data points, log records) in the view's window, summed over the
 * members. Messages name drop reasons and members but no counts, so that a steady state gives the
 * same condition every time and the status is not rewritten for it. When several of these hold, the
 * first wins:
 *
 * <ol>
 *   <li>{@code AllTelemetryDataDropped} (False): items were dropped and none exported;
 *   <li>{@code SomeTelemetryDataDropped} (False): items were dropped and some exported;
 *   <li>{@code BufferFillingUp} (False): a reporting member's queue is fuller than the threshold;
 *   <li>{@code GatewayThrottling} (False): requests were refused (clients were told to retry);
 *   <li>{@code FlowHealthy} (True): none of the above.
 * </ol>
 *
 * {@code NoDataYet} (Unknown) stands before all of them when no member has reported the pipeline
 * within the window, or there is no view at all.
 */
public final class TelemetryFlowCondition {

  public static final String FLOW_HEALTHY = "FlowHealthy";
  public static final String ALL_DROPPED = "AllTelemetryDataDropped";
  public static final String SOME_DROPPED = "SomeTelemetryDataDropped";
  public static final String BUFFER_FILLING_UP = "BufferFillingUp";
  public static final String THROTTLING = "GatewayThrottling";
  public static final String NO_DATA_YET = "NoDataYet";

  private TelemetryFlowCondition() {}

  /**
   * The condition, with {@code time} as its transition time (the caller keeps an earlier one when
   * status and reason did not change).
   */
  public static Condition of(
      Optional<PipelineView> maybeView, double bufferFillThreshold, long generation, String time) {
    if (maybeView.isEmpty() || maybeView.get().members().isEmpty()) {
      return condition(
          Condition.UNKNOWN,
          NO_DATA_YET,
          "No member has reported this pipeline's flow yet; the status follows within a few"
              + " seconds of the pipeline running.",
          generation,
          time);
    }
    PipelineView view = maybeView.get();
    Flow flow = view.inWindow();
    long dropped = flow.droppedTotal();
    String span = seconds(view);
    if (dropped > 0 && flow.exported() == 0) {
      return condition(
          Condition.FALSE,
          ALL_DROPPED,
          "All data is being dropped: items were dropped ("
              + byReason(flow)
              + ") and none exported in the last "
              + span
              + ". Check that the backend is reachable and accepts the data; the node's log names"
              + " the backend's answer.",
          generation,
          time);
    }
    if (dropped > 0) {
      return condition(
          Condition.FALSE,
          SOME_DROPPED,
          "Some data is being dropped: items were dropped ("
              + byReason(flow)
              + ") while the rest was exported in the last "
              + span
              + ". Check the backend's answers in the node's log; queue_full means the backend"
              + " does not keep up (raise spec.queue.bytes or the backend's capacity).",
          generation,
          time);
    }
    Map<String, Double> filling = new TreeMap<>();
    view.members()
        .forEach(
            (member, m) -> {
              if (m.reporting() && m.queueFill() > bufferFillThreshold) {
                filling.put(member, m.queueFill());
              }
            });
    if (!filling.isEmpty()) {
      return condition(
          Condition.FALSE,
          BUFFER_FILLING_UP,
          "The queue is more than "
              + percent(bufferFillThreshold)
              + " full on "
              + filling.entrySet().stream().map(Map.Entry::getKey).collect(Collectors.joining(", "))
              + ": the backend does not keep up. Data will be dropped or refused once it is full;"
              + " check the backend's latency and capacity, or raise spec.queue.bytes.",
          generation,
          time);
    }
    if (flow.refused() > 0) {
      return condition(
          Condition.FALSE,
          THROTTLING,
          "Requests were refused with a retryable answer in the last "
              + span
              + " because the queues were full; the senders retry. Scale out Shoal, or raise"
              + " spec.queue.bytes if the backend keeps up on average.",
          generation,
          time);
    }
    return condition(
        Condition.TRUE,
        FLOW_HEALTHY,
        "No problems detected in the last " + span + ".",
        generation,
        time);
  }

  private static String byReason(Flow flow) {
    return flow.dropped().entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .map(Map.Entry::getKey)
        .collect(Collectors.joining(", "));
  }

  private static String seconds(PipelineView view) {
    return view.window().toSeconds() + " s";
  }

  private static String percent(double fraction) {
    return Math.round(fraction * 100) + " %";
  }

  private static Condition condition(
      String status, String reason, String message, long generation, String time) {
    return new Condition(
        Condition.TELEMETRY_FLOW_HEALTHY, status, reason, message, time, generation);
  }
}
