package dev.shoal.pipeline.output.otlp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.output.DropReason;
import dev.shoal.pipeline.output.ExportFailedException;
import dev.shoal.pipeline.output.ExportResult;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import dev.shoal.pipeline.output.OtlpOutputSettings.Compression;
import dev.shoal.pipeline.output.OtlpOutputSettings.Protocol;
import dev.shoal.pipeline.output.OtlpOutputSettings.Retry;
import dev.shoal.pipeline.output.OtlpOutputSettings.Tls;
import dev.shoal.pipeline.output.otlp.OtlpBackend.Received;
import dev.shoal.pipeline.stream.Batch;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

class OtlpGrpcExporterTest extends OtlpExporterScenarios {

  @Override
  Protocol protocol() {
    return Protocol.GRPC;
  }

  @Override
  OtlpBackend startBackend(ActorTestKit testKit) {
    return OtlpBackend.grpc(testKit.system());
  }

  @Test
  void gzipCompressesTheMessage() throws Exception {
    Batch batch = TestOutputs.traces();
    var gzip =
        TestOutputs.settings(
            Protocol.GRPC,
            backend.endpoint(),
            Tls.DEFAULT,
            Compression.GZIP,
            TestOutputs.REQUEST_TIMEOUT,
            TestOutputs.FAST_RETRY);

    assertEquals(ExportResult.DELIVERED, delivered(exporter(gzip), batch));

    Received received = backend.received().get(0);
    assertEquals("gzip", received.headers().get("grpc-encoding"));
    assertEquals(batch.merged(), received.request());
    assertArrayEquals(batch.encoded(), OtlpBackend.gunzip(received.body()));
  }

  @Test
  void theEncodedRequestIsSentByteForByte() throws Exception {
    Batch batch = TestOutputs.tracesOutOfCanonicalOrder();
    byte[] encoded = batch.encoded();
    byte[] reEncoded = Signal.TRACES.parseProtobuf(encoded).toByteArray();
    assertFalse(Arrays.equals(encoded, reEncoded), "the test batch must not survive a re-encoding");

    assertEquals(ExportResult.DELIVERED, delivered(exporter(), batch));

    assertArrayEquals(encoded, backend.received().get(0).body());
  }

  @Test
  void headerNamesEndingInBinAreRefused() {
    var binary =
        new OtlpOutputSettings(
            Protocol.GRPC,
            URI.create(backend.endpoint()),
            "",
            Map.of("x-token-bin", "secret"),
            Tls.DEFAULT,
            Compression.NONE,
            TestOutputs.REQUEST_TIMEOUT,
            TestOutputs.FAST_RETRY);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> exporter(binary));

    assertTrue(e.getMessage().contains("x-token-bin"), e.getMessage());
  }

  @Test
  void answersAreHandledOffTheCommonPool() throws Exception {
    String thread =
        exporter()
            .export(TestOutputs.traces())
            .thenApply(result -> Thread.currentThread().getName())
            .toCompletableFuture()
            .get(15, TimeUnit.SECONDS);

    assertFalse(thread.startsWith("ForkJoinPool.commonPool"), thread);
  }

  @Test
  void aBackendThatComesBackIsReachedAtTheNextRetry() throws Exception {
    backend.refuseConnections(true);
    Retry retry =
        new Retry(true, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(60));
    CompletableFuture<ExportResult> export =
        exporter(settings(TestOutputs.REQUEST_TIMEOUT, retry))
            .export(TestOutputs.traces())
            .toCompletableFuture();
    // By its own backoff, grpc-java would try the 6th connection some 9 s after the first, and the
    // 7th another 5 to 8 s later.
    await().atMost(Duration.ofSeconds(30)).until(() -> backend.refusedConnections() >= 6);

    backend.refuseConnections(false);

    assertEquals(ExportResult.DELIVERED, export.get(2, TimeUnit.SECONDS));
  }

  @Test
  void withoutCompressionTheMessageIsSentAsItIs() throws Exception {
    delivered(exporter(), TestOutputs.traces());

    String encoding = backend.received().get(0).headers().get("grpc-encoding");
    assertTrue(encoding == null || encoding.equals("identity"), encoding);
  }

  @Test
  void resourceExhaustedWithoutRetryInfoIsRejected() {
    backend.script(new BackendAnswer.TooLarge());

    ExportFailedException e = dropped(exporter(), TestOutputs.traces());

    assertEquals(DropReason.REJECTED, e.reason());
    assertTrue(e.getMessage().contains("RESOURCE_EXHAUSTED"), e.getMessage());
    assertEquals(1, backend.received().size());
  }
}
