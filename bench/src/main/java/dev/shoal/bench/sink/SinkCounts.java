package dev.shoal.bench.sink;

import dev.shoal.pipeline.otlp.Signal;
import java.util.Map;

/**
 * What the sink counted up to one instant, per signal.
 *
 * @param mode the mode the sink was in
 * @param signals the counts of each signal
 */
public record SinkCounts(SinkMode mode, Map<Signal, PerSignal> signals) {

  /**
   * @param requests export requests accepted (answered with success)
   * @param items spans, data points or log records in the accepted requests
   * @param refused requests answered with a failure because of the mode, or left unanswered (mode
   *     hang)
   * @param dropped requests whose connection the sink cut without answering (mode drop)
   * @param invalid requests that could not be read (bad protobuf, JSON, gzip or framing)
   */
  public record PerSignal(long requests, long items, long refused, long dropped, long invalid) {}

  public PerSignal of(Signal signal) {
    return signals.get(signal);
  }

  /** Items of the signal accepted so far. */
  public long items(Signal signal) {
    return of(signal).items();
  }

  /** The counts as JSON, as {@code GET /counts} serves them. */
  public String toJson() {
    StringBuilder json = new StringBuilder("{\"mode\":\"").append(mode).append('"');
    for (Signal s : Signal.values()) {
      PerSignal c = of(s);
      json.append(",\"")
          .append(s.id())
          .append("\":{\"requests\":")
          .append(c.requests())
          .append(",\"items\":")
          .append(c.items())
          .append(",\"refused\":")
          .append(c.refused())
          .append(",\"dropped\":")
          .append(c.dropped())
          .append(",\"invalid\":")
          .append(c.invalid())
          .append('}');
    }
    return json.append('}').toString();
  }
}
