package dev.shoal.bench.load;

import dev.shoal.bench.CommandLine;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * What the load generator sends, where, and how fast.
 *
 * @param target {@code grpc://HOST:PORT} or {@code http://HOST:PORT[/path]} (path defaults to
 *     {@code /v1/traces})
 * @param spansPerRequest spans in each export request
 * @param rate spans per second; 0 sends as fast as the target answers
 * @param connections connections to the target
 * @param inFlightPerConnection requests outstanding per connection (gRPC multiplexes them; HTTP/1.1
 *     has one per connection)
 * @param duration how long to send (the {@code load} command; the runner decides itself)
 * @param spanBytes pad each span to about this many encoded bytes (0: natural size, ~400 B)
 * @param poolSize distinct pre-encoded requests to cycle through
 * @param timeout how long one request may take before it counts as failed
 * @param reportEvery how often progress is printed
 */
public record LoadSettings(
    URI target,
    int spansPerRequest,
    double rate,
    int connections,
    int inFlightPerConnection,
    Duration duration,
    int spanBytes,
    int poolSize,
    Duration timeout,
    Duration reportEvery) {

  public static final Set<String> OPTIONS =
      Set.of(
          "target",
          "spans-per-request",
          "rate",
          "connections",
          "in-flight",
          "duration",
          "span-bytes",
          "pool",
          "timeout",
          "report-every");

  public static final String OPTIONS_USAGE =
      String.join(
          "\n",
          "  --target grpc://127.0.0.1:4317 | http://127.0.0.1:4318   where to send (required)",
          "  --spans-per-request 100   spans in each request",
          "  --rate 10000              spans per second; 0 = as fast as the target answers",
          "  --connections 1           connections to the target",
          "  --in-flight 16            requests outstanding per connection (gRPC)",
          "  --duration 60s            how long to send",
          "  --span-bytes 0            pad spans to about this many bytes (0 = natural, ~400 B)",
          "  --pool 64                 distinct pre-encoded requests sent in turn",
          "  --timeout 10s             a request taking longer counts as failed",
          "  --report-every 5s         progress interval");

  public static LoadSettings defaults(URI target) {
    return new LoadSettings(
        target,
        100,
        10_000,
        1,
        16,
        Duration.ofSeconds(60),
        0,
        64,
        Duration.ofSeconds(10),
        Duration.ofSeconds(5));
  }

  /** The settings named on the command line, the others from {@code base}. */
  public static LoadSettings from(CommandLine options, LoadSettings base) {
    URI target = options.string("target").map(URI::create).orElse(base.target());
    if (target == null) throw new IllegalArgumentException("--target is required");
    return new LoadSettings(
            target,
            options.integer("spans-per-request", base.spansPerRequest()),
            options.number("rate", base.rate()),
            options.integer("connections", base.connections()),
            options.integer("in-flight", base.inFlightPerConnection()),
            options.duration("duration", base.duration()),
            options.integer("span-bytes", base.spanBytes()),
            options.integer("pool", base.poolSize()),
            options.duration("timeout", base.timeout()),
            options.duration("report-every", base.reportEvery()))
        .validate();
  }

  public LoadSettings validate() {
    String scheme = target.getScheme();
    if (scheme == null || !(scheme.equals("grpc") || scheme.equals("http"))) {
      throw new IllegalArgumentException(
          "--target must be grpc://HOST:PORT or http://HOST:PORT, not " + target);
    }
    if (target.getHost() == null || target.getPort() < 1) {
      throw new IllegalArgumentException("--target needs a host and a port: " + target);
    }
    require(spansPerRequest >= 1, "--spans-per-request must be at least 1");
    require(rate >= 0, "--rate must be 0 (as fast as possible) or more");
    require(connections >= 1 && connections <= 256, "--connections must be 1..256");
    require(
        inFlightPerConnection >= 1 && inFlightPerConnection <= 256, "--in-flight must be 1..256");
    require(!duration.isNegative() && !duration.isZero(), "--duration must be positive");
    require(spanBytes >= 0, "--span-bytes cannot be negative");
    require(poolSize >= 1 && poolSize <= 10_000, "--pool must be 1..10000");
    require(timeout.toMillis() >= 1, "--timeout must be positive");
    require(reportEvery.toMillis() >= 100, "--report-every must be at least 100ms");
    return this;
  }

  public boolean grpc() {
    return target.getScheme().equals("grpc");
  }

  public LoadSettings withTarget(URI target) {
    return new LoadSettings(
        target,
        spansPerRequest,
        rate,
        connections,
        inFlightPerConnection,
        duration,
        spanBytes,
        poolSize,
        timeout,
        reportEvery);
  }

  public LoadSettings withDuration(Duration duration) {
    return new LoadSettings(
        target,
        spansPerRequest,
        rate,
        connections,
        inFlightPerConnection,
        duration,
        spanBytes,
        poolSize,
        timeout,
        reportEvery);
  }

  public LoadSettings withRate(double rate) {
    return new LoadSettings(
        target,
        spansPerRequest,
        rate,
        connections,
        inFlightPerConnection,
        duration,
        spanBytes,
        poolSize,
        timeout,
        reportEvery);
  }

  /** One line that says what is sent, for reports. */
  public String describe() {
    return String.format(
        "%s, %d spans/request, %s, %d connection(s) x %d in flight",
        target,
        spansPerRequest,
        rate == 0 ? "as fast as possible" : String.format("%,.0f spans/s", rate),
        connections,
        inFlightPerConnection);
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException(message);
  }
}
