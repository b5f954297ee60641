package dev.shoal.pipeline.output.otlp;

import static dev.shoal.pipeline.output.otlp.TestOutputs.FAST_RETRY;
import static dev.shoal.pipeline.output.otlp.TestOutputs.REQUEST_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.output.DropReason;
import dev.shoal.pipeline.output.ExportFailedException;
import dev.shoal.pipeline.output.ExportResult;
import dev.shoal.pipeline.output.Exporter;
import dev.shoal.pipeline.output.Exporters;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import dev.shoal.pipeline.output.OtlpOutputSettings.Compression;
import dev.shoal.pipeline.output.OtlpOutputSettings.Protocol;
import dev.shoal.pipeline.output.OtlpOutputSettings.Retry;
import dev.shoal.pipeline.output.OtlpOutputSettings.Tls;
import dev.shoal.pipeline.output.otlp.OtlpBackend.Received;
import dev.shoal.pipeline.stream.Batch;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every OTLP exporter must do against a real backend on loopback, whatever its protocol: the
 * subclasses supply the protocol and its backend.
 */
abstract class OtlpExporterScenarios {
  private static final Set<Class<?>> warmedUp = ConcurrentHashMap.newKeySet();
  static ActorTestKit testKit;
  OtlpBackend backend;
  private final List<Exporter> exporters = new ArrayList<>();

  abstract Protocol protocol();

  abstract OtlpBackend startBackend(ActorTestKit testKit);

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create();
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void startBackend() throws Exception {
    if (warmedUp.add(getClass())) warmUp();
    backend = startBackend(testKit);
  }

  /**
   * One export before a class's first test: the first connection of a JVM loads the exporter's and
   * the backend's classes, which on a busy machine takes longer than the tests' request timeout.
   */
  private void warmUp() throws Exception {
    try (OtlpBackend warm = startBackend(testKit)) {
      Exporter e =
          Exporters.create(
              TestOutputs.settings(
                  protocol(),
                  warm.endpoint(),
                  Tls.DEFAULT,
                  Compression.NONE,
                  Duration.ofSeconds(30),
                  FAST_RETRY),
              testKit.system());
      try {
        e.export(TestOutputs.traces()).toCompletableFuture().get(60, TimeUnit.SECONDS);
      } finally {
        e.close();
      }
    }
  }

  @AfterEach
  void stopBackend() {
    exporters.forEach(Exporter::close);
    backend.close();
  }

  Exporter exporter(OtlpOutputSettings settings) {
    Exporter e = Exporters.create(settings, testKit.system());
    exporters.add(e);
    return e;
  }

  Exporter exporter() {
    return exporter(TestOutputs.settings(protocol(), backend.endpoint()));
  }

  OtlpOutputSettings settings(Duration requestTimeout, Retry retry) {
    return TestOutputs.settings(
        protocol(), backend.endpoint(), Tls.DEFAULT, Compression.NONE, requestTimeout, retry);
  }

  static ExportResult delivered(Exporter exporter, Batch batch) throws Exception {
    return exporter.export(batch).toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  static ExportFailedException dropped(Exporter exporter, Batch batch) {
    ExecutionException failed =
        assertThrows(
            ExecutionException.class,
            () -> exporter.export(batch).toCompletableFuture().get(15, TimeUnit.SECONDS));
    Throwable cause = failed.getCause();
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return assertInstanceOf(ExportFailedException.class, cause);
  }

  static long millisBetween(Received earlier, Received later) {
    return TimeUnit.NANOSECONDS.toMillis(later.atNanos() - earlier.atNanos());
  }

  @ParameterizedTest
  @EnumSource(Signal.class)
  void deliversTheMergedRequestWithTheHeaders(Signal signal) throws Exception {
    Batch batch = TestOutputs.batch(signal, 3);
    Exporter exporter =
        exporter(
            TestOutputs.forSignal(TestOutputs.settings(protocol(), backend.endpoint()), signal));

    assertEquals(ExportResult.DELIVERED, delivered(exporter, batch));

    List<Received> received = backend.received();
    assertEquals(1, received.size());
    assertEquals(batch.merged(), received.get(0).request());
    assertEquals(6, signal.countItems(received.get(0).request()));
    assertEquals("acme", received.get(0).headers().get("x-tenant"));
    assertEquals("Basic dXNlcjpwYXNz", received.get(0).headers().get("authorization"));
  }

  @ParameterizedTest
  @EnumSource(Signal.class)
  void partialSuccessIsAResultWithTheRejectedItemsAndIsNotRetried(Signal signal) throws Exception {
    backend.script(new BackendAnswer.PartialSuccess(3, "3 items are too old"));
    Exporter exporter =
        exporter(
            TestOutputs.forSignal(TestOutputs.settings(protocol(), backend.endpoint()), signal));

    ExportResult result = delivered(exporter, TestOutputs.batch(signal, 5));

    assertEquals(new ExportResult(3, "3 items are too old"), result);
    assertEquals(1, backend.received().size());
  }

  @Test
  void throttledWithADelayIsRetriedAfterThatDelay() throws Exception {
    backend.script(new BackendAnswer.Throttle(Duration.ofSeconds(1)));

    assertEquals(ExportResult.DELIVERED, delivered(exporter(), TestOutputs.traces()));

    List<Received> received = backend.received();
    assertEquals(2, received.size());
    // The backoff alone would have waited at most 200 ms.
    long waited = millisBetween(received.get(0), received.get(1));
    assertTrue(waited >= 1000, "retried after " + waited + " ms");
  }

  @Test
  void unavailableIsRetriedUntilDelivered() throws Exception {
    backend.script(new BackendAnswer.Unavailable(), new BackendAnswer.Unavailable());

    assertEquals(ExportResult.DELIVERED, delivered(exporter(), TestOutputs.traces()));

    List<Received> received = backend.received();
    assertEquals(3, received.size());
    assertEquals(received.get(0).request(), received.get(2).request());
  }

  @Test
  void badRequestIsRejectedAfterExactlyOneAttempt() {
    backend.script(new BackendAnswer.BadRequest("unknown tenant acme"));

    ExportFailedException e = dropped(exporter(), TestOutputs.traces());

    assertEquals(DropReason.REJECTED, e.reason());
    assertTrue(e.getMessage().contains("unknown tenant acme"), e.getMessage());
    // The export is over, so no later attempt can come.
    assertEquals(1, backend.received().size());
  }

  @Test
  void noAnswerWithinTheRequestTimeoutIsRetried() throws Exception {
    backend.script(new BackendAnswer.Hang());
    // Long enough that the retry's answer comes in time on a loaded machine.
    Duration timeout = Duration.ofMillis(1500);

    assertEquals(
        ExportResult.DELIVERED,
        delivered(exporter(settings(timeout, FAST_RETRY)), TestOutputs.traces()));

    List<Received> received = backend.received();
    assertTrue(received.size() >= 2, received.size() + " requests");
    // The clock starts when the exporter sends, before the backend receives: allow the first
    // request's way to the backend (at most 300 ms, even under load).
    long waited = millisBetween(received.get(0), received.get(1));
    assertTrue(waited >= timeout.toMillis() - 300, "retried after " + waited + " ms");
  }

  @Test
  void aDroppedConnectionIsRetried() throws Exception {
    backend.script(new BackendAnswer.Drop());

    assertEquals(ExportResult.DELIVERED, delivered(exporter(), TestOutputs.traces()));

    assertEquals(2, backend.received().size());
  }

  @Test
  void retriesStopAfterMaxElapsed() {
    for (int i = 0; i < 1000; i++) backend.script(new BackendAnswer.Unavailable());
    Retry retry =
        new Retry(true, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(1));
    long start = System.nanoTime();

    ExportFailedException e =
        dropped(exporter(settings(REQUEST_TIMEOUT, retry)), TestOutputs.traces());

    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(DropReason.RETRIES_EXHAUSTED, e.reason());
    assertTrue(took >= 1000 && took < 5000, "gave up after " + took + " ms");
    assertTrue(backend.received().size() >= 3, backend.received().size() + " attempts");
  }

  @Test
  void withRetryDisabledTheFirstRetryableFailureDrops() {
    backend.script(new BackendAnswer.Unavailable());
    Retry off =
        new Retry(false, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(3));

    ExportFailedException e =
        dropped(exporter(settings(REQUEST_TIMEOUT, off)), TestOutputs.traces());

    assertEquals(DropReason.RETRIES_EXHAUSTED, e.reason());
    assertEquals(1, backend.received().size());
  }

  @Test
  void anEndpointWhereNothingListensIsRetriedThenDropped() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Retry retry =
        new Retry(true, Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(400));
    OtlpOutputSettings nowhere =
        TestOutputs.settings(
            protocol(),
            "http://127.0.0.1:" + closedPort,
            Tls.DEFAULT,
            Compression.NONE,
            REQUEST_TIMEOUT,
            retry);

    ExportFailedException e = dropped(exporter(nowhere), TestOutputs.traces());

    assertEquals(DropReason.RETRIES_EXHAUSTED, e.reason());
  }
}
