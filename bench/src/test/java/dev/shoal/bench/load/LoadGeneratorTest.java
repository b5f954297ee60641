package dev.shoal.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.bench.BenchSystem;
import dev.shoal.bench.sink.SinkBackend;
import dev.shoal.bench.sink.SinkCounts;
import dev.shoal.bench.sink.SinkMode;
import dev.shoal.pipeline.otlp.Signal;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The load generator against an in-process sink: the rate it holds, and counts that agree. */
class LoadGeneratorTest {
  private static final double RATE = 3_000;
  private static ActorSystem<Void> system;
  private SinkBackend sink;

  @BeforeAll
  static void startSystem() {
    system = BenchSystem.create("load-test");
  }

  @AfterAll
  static void stopSystem() {
    BenchSystem.terminate(system, Duration.ofSeconds(10));
  }

  @BeforeEach
  void startSink() {
    sink = SinkBackend.start(system, "127.0.0.1", 0, 0, SinkMode.OK);
  }

  @AfterEach
  void stopSink() {
    sink.stop();
  }

  private LoadSettings settings(String protocol, double rate, Duration duration) {
    int port = protocol.equals("grpc") ? sink.grpcPort() : sink.httpPort();
    return LoadSettings.defaults(URI.create(protocol + "://127.0.0.1:" + port))
        .withRate(rate)
        .withDuration(duration);
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void holdsTheRateAndItsCountsEqualTheSinks(String protocol) throws Exception {
    LoadSettings settings =
        new LoadSettings(
            settings(protocol, RATE, Duration.ofSeconds(3)).target(),
            50,
            RATE,
            4,
            4,
            Duration.ofSeconds(3),
            0,
            16,
            Duration.ofSeconds(10),
            Duration.ofSeconds(1));
    RequestPool pool = RequestPool.build(16, 50, 0, 3);
    // A first run warms up this JVM's client and the sink, as any benchmark does.
    LoadGenerator.runFor(settings.withDuration(Duration.ofSeconds(1)), pool, system, null);
    SinkCounts.PerSignal before = sink.counts().of(Signal.TRACES);

    LoadCounts counts = LoadGenerator.runFor(settings, pool, system, System.out::println);

    assertEquals(RATE, counts.acknowledgedRate(), RATE * 0.10, counts.describe());
    assertEquals(0, counts.refusedSpans() + counts.failedSpans(), counts.describe());
    assertEquals(counts.sentSpans(), counts.acknowledgedSpans());
    SinkCounts.PerSignal after = sink.counts().of(Signal.TRACES);
    assertEquals(counts.acknowledgedSpans(), after.items() - before.items());
    assertEquals(counts.acknowledgedRequests(), after.requests() - before.requests());
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void refusalsAreCountedAsSuch(String protocol) throws Exception {
    sink.setMode(SinkMode.parse("throttle-429"));
    LoadCounts counts =
        LoadGenerator.runFor(
            settings(protocol, 2_000, Duration.ofSeconds(1)),
            RequestPool.build(4, 100, 0, 1),
            system,
            null);
    assertTrue(counts.refusedRequests() > 0, counts.describe());
    assertEquals(counts.sentRequests(), counts.refusedRequests(), counts.describe());
    assertEquals(counts.refusedRequests(), sink.counts().of(Signal.TRACES).refused());
    assertEquals(0, sink.counts().items(Signal.TRACES));
  }

  @Test
  void asFastAsPossibleKeepsTheInFlightBound() throws Exception {
    sink.setMode(SinkMode.parse("delay:100"));
    LoadSettings settings = settings("grpc", 0, Duration.ofSeconds(1));
    LoadGenerator generator =
        LoadGenerator.start(settings, RequestPool.build(4, 10, 0, 1), system, null);
    int most = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    while (System.nanoTime() < deadline) {
      most = Math.max(most, generator.counts().inFlight());
      LockSupport.parkNanos(1_000_000);
    }
    LoadCounts counts = generator.stop(Duration.ofSeconds(5));
    assertEquals(settings.connections() * settings.inFlightPerConnection(), most);
    // About 1 s / 100 ms per slot; a slow machine gets fewer, never more.
    assertTrue(counts.acknowledgedRequests() <= most * 11 + most, counts.describe());
    assertEquals(counts.acknowledgedSpans(), sink.counts().items(Signal.TRACES));
  }

  @Test
  void anUnreachableTargetFailsWithoutSpinning() throws Exception {
    int closedPort = sink.grpcPort();
    sink.stop();
    LoadCounts counts =
        LoadGenerator.runFor(
            LoadSettings.defaults(URI.create("grpc://127.0.0.1:" + closedPort))
                .withRate(0)
                .withDuration(Duration.ofSeconds(1)),
            RequestPool.build(2, 10, 0, 1),
            system,
            null);
    assertEquals(0, counts.acknowledgedRequests());
    assertTrue(counts.failedRequests() > 0);
    // Each slot is held 50 ms after a failure: about 20 requests a second per slot, not millions.
    assertTrue(counts.sentRequests() < 16 * 25, counts.describe());
    sink = SinkBackend.start(system, "127.0.0.1", 0, 0, SinkMode.OK);
  }
}
