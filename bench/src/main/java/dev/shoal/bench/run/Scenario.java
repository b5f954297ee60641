package dev.shoal.bench.run;

import dev.shoal.bench.load.LoadSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/** The load a benchmark run puts on the node. */
public enum Scenario {
  /**
   * The OpenTelemetry Collector testbed's trace scenario: 10,000 spans/s in requests of 100 spans,
   * OTLP/gRPC in and out, one connection.
   */
  TESTBED(10_000, 1, 16, "10k spans/s, 100 spans/request, 1 connection, OTLP/gRPC in and out"),
  /** As fast as the node acknowledges, over 4 connections: the highest sustained rate. */
  MAX(0, 4, 8, "as fast as acknowledged, 100 spans/request, 4 connections x 8 in flight, gRPC");

  private final double rate;
  private final int connections;
  private final int inFlight;
  private final String description;

  Scenario(double rate, int connections, int inFlight, String description) {
    this.rate = rate;
    this.connections = connections;
    this.inFlight = inFlight;
    this.description = description;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String description() {
    return description;
  }

  /** The load of this scenario against {@code target}, before command-line overrides. */
  public LoadSettings load(URI target) {
    return new LoadSettings(
        target,
        100,
        rate,
        connections,
        inFlight,
        Duration.ofSeconds(60),
        0,
        64,
        Duration.ofSeconds(10),
        Duration.ofSeconds(5));
  }

  public static Scenario parse(String text) {
    for (Scenario s : values()) {
      if (s.id().equals(text.trim().toLowerCase(Locale.ROOT))) return s;
    }
    throw new IllegalArgumentException("unknown scenario " + text + "; use testbed or max");
  }
}
